using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// Keeps Notification's copy of the candidate's number; an older change arriving late (a retry, another consumer)
/// changes nothing. One upsert statement decides, not a read followed by an insert, so two changes consumed at once
/// cannot collide on the key. PostgreSQL and SQLite share the <c>ON CONFLICT … DO UPDATE … WHERE</c> syntax.
/// </summary>
public sealed class CandidateContactChangedConsumer(NotificationDbContext db, TimeProvider clock, ILogger<CandidateContactChangedConsumer> logger)
    : InboxConsumer<CandidateContactChanged, NotificationDbContext>(db, logger)
{
    protected override async Task HandleAsync(CandidateContactChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var updatedAt = Db.ForColumn<CandidateContact>(nameof(CandidateContact.UpdatedAt), clock.GetUtcNow());
        await Db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "Contacts" ("CandidateId", "AreaCode", "MobileNumber", "ContactVersion", "UpdatedAt")
            VALUES ({message.CandidateId}, {message.AreaCode}, {message.MobileNumber}, {message.ContactVersion}, {updatedAt})
            ON CONFLICT ("CandidateId") DO UPDATE
            SET "AreaCode" = excluded."AreaCode", "MobileNumber" = excluded."MobileNumber",
                "ContactVersion" = excluded."ContactVersion", "UpdatedAt" = excluded."UpdatedAt"
            WHERE "Contacts"."ContactVersion" <= excluded."ContactVersion"
            """, cancellationToken);
    }
}

/// <summary>What one review event says to the candidate: the SMS template and its variables, and the in-app message.</summary>
public sealed record CandidateNotice(string Template, IReadOnlyDictionary<string, string> Variables, string Kind, string Title, string Body);

/// <summary>
/// Turns a review event into one SMS and one in-app message, written with the inbox record in one
/// transaction; the dispatcher sends the SMS afterwards. A duplicate event finds its inbox row and adds nothing.
/// The SMS text comes from the area's template (or the all-areas one), which was validated when it was loaded.
/// </summary>
public abstract class ReviewNotificationConsumer<TMessage>(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, NotificationDbContext>(db, logger)
    where TMessage : class
{
    protected async Task NotifyAsync(Guid candidateId, Guid messageId, CandidateNotice notice, CancellationToken cancellationToken)
    {
        var contact = await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.CandidateId == candidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No contact for candidate {candidateId} yet; the message will be retried.");
        // The same lookup the reviewers' SMS preview uses (SmsPreviewApi), so the preview is what goes out.
        var (sender, template) = await SmsTemplateLookup.FindAsync(Db, notice.Template, contact.AreaCode, cancellationToken)
            ?? throw new InvalidOperationException($"Area {contact.AreaCode} has no SMS sender name or no {notice.Template} template (its own or for all areas).");

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        Db.SmsMessages.Add(new SmsMessage
        {
            Id = id,
            CandidateId = candidateId,
            SourceMessageId = messageId,
            Template = notice.Template,
            MobileNumber = contact.MobileNumber,
            SignName = sender.SenderName,
            TemplateCode = template.ProviderTemplateCode,
            TemplateParams = SmsTemplates.ParamsJson(template.Body, notice.Variables),
            Text = SmsTemplates.Compose(sender.SenderName, SmsTemplates.Fill(template.Body, notice.Variables)),
            OutId = id.ToString("N"),
            Status = SmsStatus.Queued,
            CreatedAt = now,
        });
        Db.InAppMessages.Add(new InAppMessage
        {
            Id = Guid.CreateVersion7(),
            CandidateId = candidateId,
            SourceMessageId = messageId,
            Kind = notice.Kind,
            Title = notice.Title,
            Body = notice.Body,
            CreatedAt = now,
        });
    }

    protected override void AfterCommit() => dispatch.Notify();
}

public sealed class ApplicationReturnedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationReturned>(db, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationReturned message, Guid messageId, CancellationToken cancellationToken)
    {
        var deadline = ChinaTime.ToMinute(message.RespondBy);
        return NotifyAsync(message.CandidateId, messageId, new CandidateNotice(
            SmsTemplates.Returned,
            new Dictionary<string, string> { [SmsTemplates.DeadlineVariable] = deadline },
            InAppMessageKinds.Feedback,
            "审核意见：材料需要修改",
            $"{message.Feedback}（请于 {deadline} 前处理）"), cancellationToken);
    }
}

public sealed class ApplicationApprovedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationApproved>(db, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationApproved message, Guid messageId, CancellationToken cancellationToken) =>
        NotifyAsync(message.CandidateId, messageId, new CandidateNotice(
            SmsTemplates.Approved, new Dictionary<string, string>(), InAppMessageKinds.Decision, "审核通过", "您的报名材料已审核通过。"), cancellationToken);
}

public sealed class ApplicationRejectedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationRejected>(db, dispatch, clock, logger)
{
    protected override Task HandleAsync(ApplicationRejected message, Guid messageId, CancellationToken cancellationToken) =>
        NotifyAsync(message.CandidateId, messageId, new CandidateNotice(
            SmsTemplates.Rejected, new Dictionary<string, string>(), InAppMessageKinds.Decision, "审核拒绝", message.Reason), cancellationToken);
}

/// <summary>ReviewWorkflow's reminder that a returned application's response window is about to end.</summary>
public sealed class ReturnDeadlineApproachingConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ReturnDeadlineApproachingConsumer> logger)
    : ReviewNotificationConsumer<ReturnDeadlineApproaching>(db, dispatch, clock, logger)
{
    protected override Task HandleAsync(ReturnDeadlineApproaching message, Guid messageId, CancellationToken cancellationToken)
    {
        var deadline = ChinaTime.ToMinute(message.RespondBy);
        return NotifyAsync(message.CandidateId, messageId, new CandidateNotice(
            SmsTemplates.DeadlineReminder,
            new Dictionary<string, string> { [SmsTemplates.DeadlineVariable] = deadline },
            InAppMessageKinds.Reminder,
            "提醒：修改期限将至",
            $"您的报名材料尚有审核意见未处理，请于 {deadline} 前修改并提交。"), cancellationToken);
    }
}
