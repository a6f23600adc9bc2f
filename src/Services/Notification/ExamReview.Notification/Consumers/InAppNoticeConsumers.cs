using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// Writes the candidate's in-app message for a review event, with its own inbox record: it needs neither the
/// candidate's number nor an SMS template, so it is in the message centre at once even while the SMS of the same event
/// waits for a contact or a template (<see cref="ReviewNotificationConsumer{TMessage}"/>), and a duplicate adds nothing.
/// </summary>
public abstract class InAppNoticeConsumer<TMessage>(NotificationDbContext db, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, NotificationDbContext>(db, logger)
    where TMessage : class
{
    protected override async Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken)
    {
        // Events handled before the in-app message had a consumer of its own have their message already, under the SMS
        // consumer's inbox row: a redelivery of one (or an older replica beside a newer) adds nothing.
        if (await Db.InAppMessages.AnyAsync(m => m.SourceMessageId == messageId, cancellationToken))
        {
            return;
        }
        var (candidateId, notice) = CandidateNotices.For(message);
        if (notice is null)
        {
            return;
        }
        Db.InAppMessages.Add(new InAppMessage
        {
            Id = Guid.CreateVersion7(),
            CandidateId = candidateId,
            SourceMessageId = messageId,
            Kind = notice.Kind,
            Title = notice.Title,
            Body = notice.Body,
            CreatedAt = clock.GetUtcNow(),
        });
    }
}

public sealed class ApplicationReturnedInAppConsumer(NotificationDbContext db, TimeProvider clock, ILogger<ApplicationReturnedInAppConsumer> logger)
    : InAppNoticeConsumer<ApplicationReturned>(db, clock, logger);

public sealed class ReturnReachedCandidateInAppConsumer(NotificationDbContext db, TimeProvider clock, ILogger<ReturnReachedCandidateInAppConsumer> logger)
    : InAppNoticeConsumer<ReturnReachedCandidate>(db, clock, logger);

public sealed class ApplicationApprovedInAppConsumer(NotificationDbContext db, TimeProvider clock, ILogger<ApplicationApprovedInAppConsumer> logger)
    : InAppNoticeConsumer<ApplicationApproved>(db, clock, logger);

public sealed class ApplicationRejectedInAppConsumer(NotificationDbContext db, TimeProvider clock, ILogger<ApplicationRejectedInAppConsumer> logger)
    : InAppNoticeConsumer<ApplicationRejected>(db, clock, logger);

public sealed class ReturnDeadlineApproachingInAppConsumer(NotificationDbContext db, TimeProvider clock, ILogger<ReturnDeadlineApproachingInAppConsumer> logger)
    : InAppNoticeConsumer<ReturnDeadlineApproaching>(db, clock, logger);
