using ExamReview.Contracts;
using ExamReview.ImageValidation.Domain;
using ExamReview.ImageValidation.Extensions;
using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Scanning;
using ExamReview.ServiceDefaults.Storage;
using MassTransit;

namespace ExamReview.ImageValidation.Consumers;

/// <summary>
/// Checks every uploaded image where it lies (claim check): reads the original from the materials bucket, writes
/// the watermarked copy reviewers and the candidate see under its own prefix there, and publishes the verdict
/// naming that copy. Nothing is kept here: a redelivery judges again and sends the verdict again. The malware scan
/// comes first, before any decoder sees the bytes; a scanner that is down throws, so the message is retried and
/// redelivered until it answers, and nothing is judged unscanned. The checks after it are a function of the image's
/// bytes, which never change under one image id, but the scan is not: its signatures are updated, so a redelivery
/// may find malware in an image an earlier attempt judged clean (and whose verdict went out, e.g. before the ack was
/// lost). Each kind of verdict therefore has its own message id (<see cref="MaterialObjects.VerdictMessageId"/>):
/// a redelivery judged the same way overwrites the copy with the same one and sends the same id, which
/// MaterialStorage's inbox takes once, while an infected verdict is never mistaken for a duplicate of a clean one.
/// MaterialStorage keeps the infected verdict whatever the order the two arrive in.
/// </summary>
public sealed class MaterialUploadedConsumer(
    [FromKeyedServices(ImageValidationModule.StoreView)] IObjectStore store,
    DocumentPipeline pipeline,
    DecodeGate gate,
    MalwareScreen malware,
    ILogger<MaterialUploadedConsumer> logger)
    : IConsumer<MaterialUploaded>
{
    public async Task Consume(ConsumeContext<MaterialUploaded> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        var copyKey = MaterialObjects.ReviewerCopyKey(message.ApplicationId, message.ImageId);

        var original = await store.GetAsync(message.OriginalKey, cancellationToken);
        if (original is null)
        {
            // Deleted or replaced before it was judged: there is nothing to report. A copy an earlier attempt wrote
            // before its verdict failed to go out would belong to nothing now, so it goes too.
            await store.DeleteAsync(copyKey, cancellationToken);
            logger.LogInformation("Image {ImageId} is gone from {Key}; no verdict", message.ImageId, message.OriginalKey);
            return;
        }
        if (!string.Equals(ObjectKeys.Sha256Hex(original.Content), message.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Image {message.ImageId} at {message.OriginalKey} does not match its recorded hash.");
        }

        if (await malware.CheckAsync(original.Content, cancellationToken) is { } infected)
        {
            // Never decoded, never copied: a copy an earlier attempt may have written (before signatures were
            // updated) goes too, so no reviewer is ever shown it.
            await store.DeleteAsync(copyKey, cancellationToken);
            logger.LogWarning("Image {ImageId} is infected ({Signature}); rejected unseen", message.ImageId, infected.Measured);
            await context.Publish(
                new MaterialValidated(message.ImageId, message.CandidateId, false, [infected.ToContract()], null),
                publish => publish.MessageId = MaterialObjects.VerdictMessageId(message.ImageId, infected: true),
                cancellationToken);
            return;
        }

        // One decode serves both the checks and the reviewer copy (see the Processing README's performance notes).
        // The slot is awaited, not blocked on: a consumer waiting for one holds no thread.
        var result = await gate.RunAsync(() => pipeline.Process(original.Content, message.RegistrationNumber, message.MaxFileBytes), cancellationToken);
        var findings = result.Inspection.Findings.Select(f => f.ToContract()).ToList();
        string? reviewerCopy = null;
        if (result.WatermarkedJpeg is { } watermarked)
        {
            await store.PutAsync(copyKey, watermarked, "image/jpeg", cancellationToken);
            reviewerCopy = copyKey;
        }

        await context.Publish(
            new MaterialValidated(message.ImageId, message.CandidateId, findings.Count == 0, findings, reviewerCopy),
            publish => publish.MessageId = MaterialObjects.VerdictMessageId(message.ImageId, infected: false),
            cancellationToken);
    }
}
