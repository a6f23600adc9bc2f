using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Messaging;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// Records the webhook deliveries one platform message causes, in the transaction that records the message in the
/// inbox: the same message twice gives one delivery per endpoint. A consumer of its own beside the SMS one (its own
/// inbox row), so an SMS that cannot be composed yet (no contact) never holds back a province's webhook, or the reverse.
/// </summary>
public abstract class WebhookEventConsumer<TMessage>(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger logger)
    : InboxConsumer<TMessage, NotificationDbContext>(db, logger)
    where TMessage : class
{
    protected TimeProvider Clock { get; } = clock;

    protected abstract IReadOnlyList<WebhookEvent> EventsOf(TMessage message);

    protected override async Task HandleAsync(TMessage message, Guid messageId, CancellationToken cancellationToken) =>
        await WebhookFanOut.RecordAsync(Db, messageId, EventsOf(message), Clock.GetUtcNow(), cancellationToken);

    protected override void AfterCommit() => dispatch.Notify();

    /// <summary>The status event every transition raises, with the status the candidate now sees.</summary>
    protected static WebhookEvent StatusChanged(string areaCode, Guid candidateId, DateTimeOffset at, string status, IReadOnlyDictionary<string, object?> ids) =>
        new(WebhookEventTypes.StatusChanged, areaCode, candidateId, at, new Dictionary<string, object?>(ids)
        {
            ["status"] = status,
            ["statusLabel"] = WebhookStatuses.Label(status),
        });

    /// <summary>
    /// The ids every review event carries, and where the review stood when it decided (<see cref="ReviewPosition"/>):
    /// deliveries go out in the order Notification learned of the events, and a message redelivered late (a broker
    /// retry) can be learned after the outcome that followed it, so the position is what tells a receiver which
    /// outcome is the latest. Null only for a message sent before positions were.
    /// </summary>
    protected static Dictionary<string, object?> Ids(Guid caseId, Guid applicationId, ReviewPosition? position) =>
        new() { ["caseId"] = caseId, ["applicationId"] = applicationId, [WebhookPayloads.ReviewPositionField] = position };
}

public sealed class ApplicationSubmittedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationSubmittedWebhookConsumer> logger)
    : WebhookEventConsumer<ApplicationSubmitted>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ApplicationSubmitted m) =>
    [
        StatusChanged(m.AreaCode, m.CandidateId, m.SubmittedAt, WebhookStatuses.Filling, new Dictionary<string, object?>
        {
            ["applicationId"] = m.ApplicationId,
            ["siteCode"] = m.SiteCode,
            ["submissionNumber"] = m.SubmissionNumber,
            // A submission opens its round: the review's own versions of it follow.
            [WebhookPayloads.ReviewPositionField] = new ReviewPosition(m.SubmissionNumber, 0),
        }),
    ];
}

public sealed class ApplicationSiteApprovedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationSiteApprovedWebhookConsumer> logger)
    : WebhookEventConsumer<ApplicationSiteApproved>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ApplicationSiteApproved m)
    {
        var ids = Ids(m.CaseId, m.ApplicationId, m.Position);
        ids["siteCode"] = m.SiteCode;
        return [StatusChanged(m.AreaCode, m.CandidateId, Clock.GetUtcNow(), WebhookStatuses.SiteApproved, ids)];
    }
}

public sealed class ApplicationApprovedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationApprovedWebhookConsumer> logger)
    : WebhookEventConsumer<ApplicationApproved>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ApplicationApproved m)
    {
        var at = Clock.GetUtcNow();
        var ids = Ids(m.CaseId, m.ApplicationId, m.Position);
        return
        [
            StatusChanged(m.AreaCode, m.CandidateId, at, WebhookStatuses.Approved, ids),
            new(WebhookEventTypes.Approved, m.AreaCode, m.CandidateId, at, ids),
        ];
    }
}

public sealed class ApplicationReturnedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationReturnedWebhookConsumer> logger)
    : WebhookEventConsumer<ApplicationReturned>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ApplicationReturned m)
    {
        var at = Clock.GetUtcNow();
        var ids = Ids(m.CaseId, m.ApplicationId, m.Position);
        return
        [
            StatusChanged(m.AreaCode, m.CandidateId, at, WebhookStatuses.Returned, ids),
            new(WebhookEventTypes.Returned, m.AreaCode, m.CandidateId, at, new Dictionary<string, object?>(ids)
            {
                ["reviewLevel"] = m.ReviewLevel,
                ["feedback"] = m.Feedback,
                ["respondBy"] = m.RespondBy,
                ["registrationData"] = m.RegistrationData,
            }),
        ];
    }
}

public sealed class ApplicationRejectedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ApplicationRejectedWebhookConsumer> logger)
    : WebhookEventConsumer<ApplicationRejected>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ApplicationRejected m)
    {
        var at = Clock.GetUtcNow();
        var ids = Ids(m.CaseId, m.ApplicationId, m.Position);
        return
        [
            StatusChanged(m.AreaCode, m.CandidateId, at, WebhookStatuses.Rejected, ids),
            new(WebhookEventTypes.Rejected, m.AreaCode, m.CandidateId, at, new Dictionary<string, object?>(ids) { ["reason"] = m.Reason }),
        ];
    }
}

/// <summary>A case returned for registration data went back to site review: the candidate sees 填报 again.</summary>
public sealed class ReviewResumedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<ReviewResumedWebhookConsumer> logger)
    : WebhookEventConsumer<ReviewResumed>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(ReviewResumed m)
    {
        var ids = Ids(m.CaseId, m.ApplicationId, m.Position);
        ids["siteCode"] = m.SiteCode;
        return [StatusChanged(m.AreaCode, m.CandidateId, m.At, WebhookStatuses.Filling, ids)];
    }
}

/// <summary>Field names only, as the contract carries them; who corrected stays in Registration's audit.</summary>
public sealed class RegistrationCorrectedWebhookConsumer(NotificationDbContext db, WebhookDispatchSignal dispatch, TimeProvider clock, ILogger<RegistrationCorrectedWebhookConsumer> logger)
    : WebhookEventConsumer<RegistrationCorrected>(db, dispatch, clock, logger)
{
    protected override IReadOnlyList<WebhookEvent> EventsOf(RegistrationCorrected m) =>
    [
        new(WebhookEventTypes.RegistrationCorrected, m.AreaCode, m.CandidateId, m.CorrectedAt, new Dictionary<string, object?>
        {
            ["registrationId"] = m.RegistrationId,
            ["registrationNumber"] = m.RegistrationNumber,
            ["siteCode"] = m.SiteCode,
            ["fields"] = m.Fields,
            ["reason"] = m.Reason,
        }),
    ];
}
