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
