namespace ExamReview.Contracts;

// ---- ReviewWorkflow: result publication ----

/// <summary>
/// A review result became visible to the candidate: at once in an area that publishes immediately, or when the
/// site's or area's round closed (等待考区/考点全部审核结束后，查看审核结果). Published exactly once per case, level and
/// round, right beside the result event itself (<see cref="ApplicationSiteApproved"/>, <see cref="ApplicationApproved"/>,
/// <see cref="ApplicationRejected"/>), which is held back until then. Provincial systems are fed from this event.
/// <see cref="Result"/>: <c>site-approved</c> (考点通过), <c>approved</c> (审核通过), <c>rejected</c> (审核拒绝).
/// <see cref="RoundId"/> is null for immediate publication.
/// </summary>
public sealed record ApplicationResultPublished(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string AreaCode,
    string SiteCode,
    string Result,
    Guid? RoundId,
    DateTimeOffset DecidedAt,
    DateTimeOffset PublishedAt);

/// <summary>The results <see cref="ApplicationResultPublished.Result"/> and <see cref="ApplicationResultHeld.Result"/> name.</summary>
public static class ResultNames
{
    /// <summary>考点通过.</summary>
    public const string SiteApproved = "site-approved";

    /// <summary>审核通过.</summary>
    public const string Approved = "approved";

    /// <summary>审核拒绝.</summary>
    public const string Rejected = "rejected";
}

/// <summary>
/// A result was decided and is held until its round closes: the candidate must not see it yet, so the result event
/// itself (<see cref="ApplicationSiteApproved"/>, <see cref="ApplicationApproved"/>, <see cref="ApplicationRejected"/>) waits.
/// Published at once, in the decision's transaction, for the one receiver whose rules follow the review's real state
/// rather than what the candidate is shown: Registration, which refuses the candidate's own change of photo and profile
/// once the site has passed them. Nothing candidate- or province-facing acts on it (no status, no SMS, no webhook).
/// <see cref="Result"/> as in <see cref="ApplicationResultPublished"/>; <see cref="Position"/> is the one the decision
/// stamped, which the released result event will carry too.
/// </summary>
public sealed record ApplicationResultHeld(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string AreaCode,
    string SiteCode,
    string Result,
    ReviewPosition Position,
    DateTimeOffset DecidedAt);
