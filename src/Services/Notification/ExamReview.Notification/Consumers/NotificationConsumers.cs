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

/// <summary>
/// Turns a review event into one SMS, written with the inbox record in one transaction; the dispatcher sends it
/// afterwards. A duplicate event finds its inbox row and adds nothing. The SMS text comes from the area's template (or
/// the all-areas one), which was validated when it was loaded. Without the candidate's number or the area's template
/// yet, the event is retried (and, past the retries, waits in the error queue for an operator); the in-app message is
/// a consumer of its own (<see cref="InAppNoticeConsumer{TMessage}"/>), so it is never held back or lost with the SMS.
/// </summary>
public abstract class ReviewNotificationConsumer<TMessage>(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, NotificationDbContext>(db, logger)
    where TMessage : class
{
    protected override async Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        var (candidateId, notice) = CandidateNotices.For(message);
        var contact = await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.CandidateId == candidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No contact for candidate {candidateId} yet; the message will be retried.");
        // The same lookup the reviewers' SMS preview uses (SmsPreviewApi), so the preview is what goes out.
        var (sender, template) = await SmsTemplateLookup.FindAsync(Db, notice.Template, contact.AreaCode, cancellationToken)
            ?? throw new InvalidOperationException($"Area {contact.AreaCode} has no SMS sender name or no {notice.Template} template (its own or for all areas).");

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
            CreatedAt = clock.GetUtcNow(),
        });
    }

    protected override void AfterCommit() => dispatch.Notify();
}

public sealed class ApplicationReturnedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationReturned>(db, dispatch, clock, logger);

public sealed class ApplicationApprovedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationApproved>(db, dispatch, clock, logger);

public sealed class ApplicationRejectedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationRejected>(db, dispatch, clock, logger);

/// <summary>ReviewWorkflow's reminder that a returned application's response window is about to end.</summary>
public sealed class ReturnDeadlineApproachingConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ReturnDeadlineApproachingConsumer> logger)
    : ReviewNotificationConsumer<ReturnDeadlineApproaching>(db, dispatch, clock, logger);
