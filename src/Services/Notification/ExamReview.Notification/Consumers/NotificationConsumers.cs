using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// Keeps Notification's copy of the candidate's number and, when a newer change moves it, queues the warning to the
/// previous number (<see cref="CandidateContact.Apply"/> decides; an older or already-seen version changes nothing and
/// texts nobody). The copy, the SMS row and the inbox record commit together. Two changes of one candidate consumed at
/// once cannot both decide from the same stored number: <see cref="CandidateContact.ContactVersion"/> is the row's
/// concurrency token (and a first contact's key is unique), so the later commit fails and the bus retries it against
/// the newer row. The warning has no in-app message, as one-time codes have none: it is for whoever holds the old
/// phone, and someone who took the account over would read the message centre. Without the area's sender name the new
/// number is still kept (holding it back would send every later notice to the old number) and the warning is lost,
/// loudly: an error log and <c>examreview.notification.sms.failed{reason=no_sender}</c>, both once the new number is
/// committed, so a delivery retried after a failed commit counts it once.
/// </summary>
public sealed class CandidateContactChangedConsumer(
    NotificationDbContext db, SmsDispatchSignal dispatch, NotificationMetrics metrics, TimeProvider clock, ILogger<CandidateContactChangedConsumer> logger)
    : InboxConsumer<CandidateContactChanged, NotificationDbContext>(db, logger)
{
    private bool _queued;

    /// <summary>The warning this attempt could not queue (no sender name), logged and counted in <see cref="AfterCommit"/>.</summary>
    private MobileChangeNotice? _lost;

    protected override async Task HandleAsync(CandidateContactChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        _queued = false;
        _lost = null;
        var now = clock.GetUtcNow();
        var known = await Db.Contacts.SingleOrDefaultAsync(c => c.CandidateId == message.CandidateId, cancellationToken);
        var (contact, notice) = CandidateContact.Learn(known, message, now);
        if (known is null)
        {
            Db.Contacts.Add(contact);
        }
        if (notice is null)
        {
            return;
        }
        if (await SmsTemplateLookup.FindOrBuiltInAsync(Db, notice.Template, notice.AreaCode, cancellationToken) is not { } found)
        {
            // The new number is kept whatever happens to the warning: holding the change back (retries, then the error
            // queue) would send every later notice to the old number. The warning is lost, loudly: an error log and the
            // failure counter operators watch, once the new number is committed.
            _lost = notice;
            return;
        }
        var (sender, template) = found;
        Db.SmsMessages.Add(SmsMessage.Queue(notice.CandidateId, messageId, notice.PreviousMobileNumber, sender, template, notice.Variables, now));
        _queued = true;
    }

    protected override void AfterCommit()
    {
        if (_queued)
        {
            dispatch.Notify();
        }
        if (_lost is { } lost)
        {
            logger.LogError("Area {AreaCode} has no SMS sender name: candidate {CandidateId}'s previous number was not warned of the change to version {Version}",
                lost.AreaCode, lost.CandidateId, lost.ContactVersion);
            metrics.Failed(lost.Template, "no_sender");
        }
    }
}

/// <summary>
/// Turns a review event into one SMS (or none, where <see cref="CandidateNotices"/> says the event tells the candidate
/// nothing), written with the inbox record in one transaction; the dispatcher sends it afterwards. A duplicate event finds its inbox row and adds nothing. The SMS text comes from the area's template (or
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
        if (notice is null)
        {
            return;
        }
        var contact = await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.CandidateId == candidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No contact for candidate {candidateId} yet; the message will be retried.");
        // The same lookup the reviewers' SMS preview uses (SmsPreviewApi), so the preview is what goes out.
        var (sender, template) = await SmsTemplateLookup.FindAsync(Db, notice.Template, contact.AreaCode, cancellationToken)
            ?? throw new InvalidOperationException($"Area {contact.AreaCode} has no SMS sender name or no {notice.Template} template (its own or for all areas).");

        Db.SmsMessages.Add(SmsMessage.Queue(candidateId, messageId, contact.MobileNumber, sender, template, notice.Variables, clock.GetUtcNow()));
    }

    protected override void AfterCommit() => dispatch.Notify();
}

/// <summary>A return's SMS: from this event for a data return (and older senders); see <see cref="ReturnReachedCandidateConsumer"/>.</summary>
public sealed class ApplicationReturnedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationReturnedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationReturned>(db, dispatch, clock, logger);

/// <summary>
/// A return that unlocks is texted when MaterialStorage's unlock has opened the application to the candidate; a return
/// the candidate answered while it was on its way (continuous mode) sends no such event, and so no SMS.
/// </summary>
public sealed class ReturnReachedCandidateConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ReturnReachedCandidateConsumer> logger)
    : ReviewNotificationConsumer<ReturnReachedCandidate>(db, dispatch, clock, logger);

public sealed class ApplicationApprovedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationApprovedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationApproved>(db, dispatch, clock, logger);

public sealed class ApplicationRejectedConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationRejectedConsumer> logger)
    : ReviewNotificationConsumer<ApplicationRejected>(db, dispatch, clock, logger);

/// <summary>ReviewWorkflow's reminder that a returned application's response window is about to end.</summary>
public sealed class ReturnDeadlineApproachingConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<ReturnDeadlineApproachingConsumer> logger)
    : ReviewNotificationConsumer<ReturnDeadlineApproaching>(db, dispatch, clock, logger);
