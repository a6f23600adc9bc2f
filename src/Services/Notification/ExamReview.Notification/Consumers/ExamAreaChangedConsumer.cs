using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// An exam area created or renamed in Registration gets an SMS sender name (【考区单位名称】) here, so its
/// candidates' notices never wait on a missing sender. An operator may still set a different sender name.
/// </summary>
public sealed class ExamAreaChangedConsumer(NotificationDbContext db, ILogger<ExamAreaChangedConsumer> logger)
    : InboxConsumer<ExamAreaChanged, NotificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(ExamAreaChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var sender = await Db.AreaSenders.SingleOrDefaultAsync(s => s.AreaCode == message.AreaCode, cancellationToken);
        if (sender is null)
        {
            Db.AreaSenders.Add(new AreaSender { AreaCode = message.AreaCode, SenderName = message.Name });
        }
    }
}
