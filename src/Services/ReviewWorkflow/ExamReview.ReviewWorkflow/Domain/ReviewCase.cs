using ExamReview.Contracts;

namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// The persisted queue state of a case. The finer stages the reviewers see (submitted, under review,
/// resubmitted, site approved …) are derived from it and the claim, see <see cref="ReviewStages"/>.
/// </summary>
public enum CaseState
{
    SiteReview = 0,
    Returned = 1,
    AreaReview = 2,
    Approved = 3,
    Rejected = 4,
}

public enum ReviewAction
{
    Resubmit,
    SiteApprove,
    AreaApprove,
    Return,
    Reject,

    /// <summary>
    /// A data return is over without a resubmission: staff corrected the registration, or a reviewer found there is
    /// nothing staff can correct (<see cref="ReviewCase.ResumeAfterDataReturn"/>). Back to site review.
    /// </summary>
    Resume,
}

/// <summary>
/// The two-level review (考点 then 考区复审) as a transition table: anything not listed is illegal.
/// </summary>
public static class ReviewStateMachine
{
    public static CaseState? Next(CaseState from, ReviewAction action) => (from, action) switch
    {
        (CaseState.SiteReview, ReviewAction.SiteApprove) => CaseState.AreaReview,
        (CaseState.SiteReview, ReviewAction.Return) => CaseState.Returned,
        (CaseState.Returned, ReviewAction.Resubmit) => CaseState.SiteReview,
        (CaseState.Returned, ReviewAction.Resume) => CaseState.SiteReview,
        (CaseState.AreaReview, ReviewAction.AreaApprove) => CaseState.Approved,
        (CaseState.AreaReview, ReviewAction.Return) => CaseState.Returned,
        (CaseState.AreaReview, ReviewAction.Reject) => CaseState.Rejected,
        _ => null,
    };

    public static bool IsFinal(CaseState state) => state is CaseState.Approved or CaseState.Rejected;
}

/// <summary>Which review level a reviewer works at; a case is reviewable at one level at a time.</summary>
public enum ReviewLevel
{
    Site,
    Area,
}

/// <summary>The stages named in the review process, derived from the queue state, the claim and the submission history.</summary>
public static class ReviewStages
{
    public const string Submitted = "Submitted";
    public const string Resubmitted = "Resubmitted";
    public const string UnderSiteReview = "UnderSiteReview";
    public const string SiteApproved = "SiteApproved";
    public const string UnderAreaReview = "UnderAreaReview";
    public const string Returned = "Returned";
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";

    /// <summary>Every stage, in the order a case passes them (the reviewer console's tabs).</summary>
    public static readonly IReadOnlyList<string> All =
        [Submitted, Resubmitted, UnderSiteReview, SiteApproved, UnderAreaReview, Returned, Approved, Rejected];

    public static string Of(ReviewCase reviewCase, DateTimeOffset now) =>
        Of(reviewCase.State, reviewCase.HasActiveClaim(now), reviewCase.SubmissionNumber > 1);

    /// <summary>The stage from the three facts it derives from, so a count per stage can group by them in the database.</summary>
    public static string Of(CaseState state, bool claimed, bool resubmission) => state switch
    {
        CaseState.SiteReview when claimed => UnderSiteReview,
        CaseState.SiteReview => resubmission ? Resubmitted : Submitted,
        CaseState.AreaReview when claimed => UnderAreaReview,
        CaseState.AreaReview => SiteApproved,
        CaseState.Returned => Returned,
        CaseState.Approved => Approved,
        _ => Rejected,
    };
}

/// <summary>
/// A review case per submitted application. <see cref="Version"/> is an optimistic concurrency token:
/// every change (claim, decision, transition) bumps it, so two reviewers racing on the same case cannot
/// both win. Its timeline (<see cref="CaseEvent"/>) is append-only.
/// </summary>
public sealed partial class ReviewCase
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid CandidateId { get; set; }
    public required string RegistrationNumber { get; set; }
    public required string AreaCode { get; set; }
    public required string SiteCode { get; set; }
    public string? ExamCategory { get; set; }
    public CaseState State { get; set; }
    public int SubmissionNumber { get; set; }
    public required string ImageIdsJson { get; set; }
    public string? Feedback { get; set; }
    public DateTimeOffset? RespondBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>When the first submission arrived: the start of every duration the metrics report.</summary>
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>The reviewer holding the case, while <see cref="ClaimExpiresAt"/> lies ahead; an expired lease holds nothing.</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }

    public DateTimeOffset? FirstReviewedAt { get; set; }
    public DateTimeOffset? SiteApprovedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public int ReturnCount { get; set; }

    /// <summary>A resubmission arrived and no reviewer has decided anything on it yet.</summary>
    public bool ResubmittedSinceReview { get; set; }

    public DateTimeOffset? ReminderSentAt { get; set; }

    /// <summary>
    /// The required materials (catalog names, JSON array) MaterialStorage last reported missing; in continuous mode a
    /// case can be under review before the candidate has uploaded everything. Null: nothing missing.
    /// </summary>
    public string? MissingMaterialsJson { get; set; }

    /// <summary>
    /// Returned for a registration-data problem (报名信息有问题): the candidate has nothing to upload; site staff
    /// correct the data in Registration and the case resumes on RegistrationCorrected.
    /// </summary>
    public bool AwaitingCorrection { get; set; }

    /// <summary>
    /// When the case was last returned for a registration-data problem (null: never, or before this was recorded). A
    /// correction made before it cannot be the one the return asks for (<see cref="TakeCorrection"/>).
    /// </summary>
    public DateTimeOffset? DataReturnedAt { get; set; }

    /// <summary>Set when a return's response window ended without a resubmission (the case is overdue).</summary>
    public DateTimeOffset? ResponseWindowExpiredAt { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }

    public bool HasActiveClaim(DateTimeOffset now) => ClaimedBy is not null && ClaimExpiresAt > now;

    public bool IsHeldBy(string actor, DateTimeOffset now) => HasActiveClaim(now) && string.Equals(ClaimedBy, actor, StringComparison.Ordinal);

    public bool IsOverdue(DateTimeOffset now) => State == CaseState.Returned && RespondBy is { } due && due <= now;

    /// <summary>
    /// Where the case stands now in its application's history (the submission, then the version): stamped on every
    /// outcome it sends, so Registration keeps the candidate's status from the latest whatever order they arrive in.
    /// </summary>
    public ReviewPosition CurrentPosition => new(SubmissionNumber, Version);

    /// <summary>The level at which the case currently awaits a decision, if any.</summary>
    public ReviewLevel? ReviewableAt => State switch
    {
        CaseState.SiteReview => ReviewLevel.Site,
        CaseState.AreaReview => ReviewLevel.Area,
        _ => null,
    };

    /// <summary>Moves the case along the state machine or says why it cannot.</summary>
    public bool TryApply(ReviewAction action, DateTimeOffset at)
    {
        if (ReviewStateMachine.Next(State, action) is not { } next)
        {
            return false;
        }
        State = next;
        Touch(at);
        return true;
    }

    public void Touch(DateTimeOffset at)
    {
        UpdatedAt = at;
        Version++;
    }

    public void Claim(string actor, DateTimeOffset now, TimeSpan lease)
    {
        if (!IsHeldBy(actor, now))
        {
            ClaimedAt = now;
        }
        ClaimedBy = actor;
        ClaimExpiresAt = now + lease;
        Touch(now);
    }

    public void ReleaseClaim(DateTimeOffset now)
    {
        ClaimedBy = null;
        ClaimedAt = null;
        ClaimExpiresAt = null;
        Touch(now);
    }

    public IReadOnlyList<string> MissingMaterials() =>
        MissingMaterialsJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(MissingMaterialsJson) ?? [];

    /// <summary>Takes MaterialStorage's latest word on missing materials; a message without one (an older sender) changes nothing.</summary>
    public void ReportMissing(IReadOnlyList<string>? names)
    {
        if (names is not null)
        {
            MissingMaterialsJson = names.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(names);
        }
    }

    /// <summary>Any reviewer decision counts as the first review and clears the resubmission flag.</summary>
    public void MarkReviewed(DateTimeOffset now)
    {
        FirstReviewedAt ??= now;
        ResubmittedSinceReview = false;
    }
}

/// <summary>One entry of a case's append-only audit timeline.</summary>
public sealed class CaseEvent
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public required string Kind { get; set; }
    public required string Actor { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>Timeline entry kinds (stable strings: the reviewer SPA and the metrics read them).</summary>
public static class CaseEventKinds
{
    public const string Submitted = "submitted";
    public const string Resubmitted = "resubmitted";
    public const string ImageSubmitted = "image-submitted";
    public const string ImageWithdrawn = "image-withdrawn";
    public const string Claimed = "claimed";
    public const string ClaimRenewed = "claim-renewed";
    public const string ClaimReleased = "claim-released";
    public const string ClaimExpired = "claim-expired";
    public const string ImageApproved = "image-approved";
    public const string ImageReplacementRequested = "image-replacement-requested";
    public const string SiteApproved = "site-approved";
    public const string AreaApproved = "area-approved";
    public const string ReturnedSite = "returned-site";
    public const string ReturnedArea = "returned-area";
    public const string Rejected = "rejected";
    public const string ReminderSent = "reminder-sent";
    public const string ResponseWindowExpired = "response-window-expired";
    public const string Escalated = "escalated";
    public const string MessageSent = "message-sent";
    public const string MissingMaterialsOverridden = "missing-materials-overridden";
    public const string Opened = "opened";
    public const string MissingMaterialsReported = "missing-materials-reported";
    public const string RegistrationCorrected = "registration-corrected";
    public const string Resumed = "resumed";

    /// <summary>A failing verdict reached the case while it awaits a decision, and moved its version (<see cref="ReviewCase.TakeFailedCheck"/>).</summary>
    public const string ImageCheckFailed = "image-check-failed";

    /// <summary>The kinds that count as a reviewer's decision (throughput per reviewer).</summary>
    public static readonly IReadOnlyList<string> Decisions =
        [ImageApproved, ImageReplacementRequested, SiteApproved, AreaApproved, ReturnedSite, ReturnedArea, Rejected];
}
