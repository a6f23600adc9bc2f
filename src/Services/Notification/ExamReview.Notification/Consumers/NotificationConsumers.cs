using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

public sealed class CandidateContactChangedConsumer(NotificationDbContext db, OutboxSignal signal, TimeProvider clock, ILogger<CandidateContactChangedConsumer> logger)
    : InboxConsumer<CandidateContactChanged, NotificationDbContext>(db, signal, logger)
{
    protected override async Task HandleAsync(CandidateContactChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var contact = await Db.Contacts.SingleOrDefaultAsync(c => c.CandidateId == message.CandidateId, cancellationToken);
        if (contact is null)
        {
            Db.Contacts.Add(new CandidateContact { CandidateId = message.CandidateId, AreaCode = message.AreaCode, MobileNumber = message.MobileNumber, UpdatedAt = clock.GetUtcNow() });
            return;
        }
        contact.AreaCode = message.AreaCode;
        contact.MobileNumber = message.MobileNumber;
        contact.UpdatedAt = clock.GetUtcNow();
    }
}

/// <summary>
/// Turns a review event into one SMS and one in-app message, written with the inbox record in one
/// transaction; the dispatcher sends the SMS afterwards. A duplicate event finds its inbox row and adds nothing.
/// </summary>
public abstract class ReviewNotificationConsumer<TMessage>(NotificationDbContext db, OutboxSignal signal, SmsDispatchSignal dispatch, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, NotificationDbContext>(db, signal, logger)
    where TMessage : class
{
    protected async Task NotifyAsync(Guid candidateId, Guid messageId, string template, string title, string body, CancellationToken cancellationToken)
    {
        var contact = await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.CandidateId == candidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No contact for candidate {candidateId} yet; the message will be retried.");
        var sender = await Db.AreaSenders.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == contact.AreaCode, cancellationToken)
            ?? throw new InvalidOperationException($"Area {contact.AreaCode} has no SMS sender name configured.");
        var now = clock.GetUtcNow();
        Db.SmsMessages.Add(new SmsMessage
        {
            Id = Guid.CreateVersion7(),
            CandidateId = candidateId,
            SourceMessageId = messageId,
            Template = template,
            MobileNumber = contact.MobileNumber,
            Text = SmsTemplates.Render(template, sender.SenderName),
            Status = SmsStatus.Queued,
            CreatedAt = now,
        });
        Db.InAppMessages.Add(new InAppMessage { Id = Guid.CreateVersion7(), CandidateId = candidateId, SourceMessageId = messageId, Title = title, Body = body, CreatedAt = now });
    }

    protected override void AfterCommit() => dispatch.Notify();
}

public sealed class ApplicationReturnedConsumer(NotificationDbContext db, OutboxSignal signal, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationReturned>(db, signal, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationReturned message, Guid messageId, CancellationToken cancellationToken) =>
        NotifyAsync(message.CandidateId, messageId, SmsTemplates.Returned, "审核意见：材料需要修改",
            $"{message.Feedback}（请于 {message.RespondBy.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm} 前处理）", cancellationToken);
}

public sealed class ApplicationApprovedConsumer(NotificationDbContext db, OutboxSignal signal, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationApproved>(db, signal, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationApproved message, Guid messageId, CancellationToken cancellationToken) =>
        NotifyAsync(message.CandidateId, messageId, SmsTemplates.Approved, "审核通过", "您的报名材料已审核通过。", cancellationToken);
}

public sealed class ApplicationRejectedConsumer(NotificationDbContext db, OutboxSignal signal, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationRejected>(db, signal, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationRejected message, Guid messageId, CancellationToken cancellationToken) =>
        NotifyAsync(message.CandidateId, messageId, SmsTemplates.Rejected, "审核拒绝", message.Reason, cancellationToken);
}
