using ExamReview.ImageValidation.Consumers;
using MassTransit;

namespace ExamReview.ImageValidation.Scanning;

/// <summary>
/// The upload consumer waits out a scanner outage: a <see cref="ScannerUnavailableException"/> is retried on a slow,
/// fixed interval (<see cref="ClamAvOptions.ScannerRetryLimit"/> × <see cref="ClamAvOptions.ScannerRetryInterval"/>),
/// inside the endpoint's short exponential retry that covers everything else, so a clamd restart or a signature
/// reload delays validation instead of sending the upload to the error queue within seconds.
/// </summary>
public static class ScannerRetry
{
    public static void Configure(IConsumerConfigurator<MaterialUploadedConsumer> consumer, ClamAvOptions options) =>
        consumer.UseMessageRetry(retry =>
        {
            retry.Handle<ScannerUnavailableException>();
            retry.Interval(options.ScannerRetryLimit, options.ScannerRetryInterval);
        });
}
