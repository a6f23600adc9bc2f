using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>How an area releases review results to candidates (seeds: "等待考区/考点全部审核结束后，查看审核结果").</summary>
public enum PublicationMode
{
    /// <summary>The result is visible the moment the reviewer decides (the platform's behaviour before rounds).</summary>
    Immediate = 0,

    /// <summary>The result waits until the operator, or the round's end date, closes the site's or area's round.</summary>
    HeldUntilRoundCloses = 1,
}

/// <summary>Configuration <c>ReviewWorkflow:Publication</c>: <c>Areas:37:Mode=HeldUntilRoundCloses</c>; unlisted areas publish immediately.</summary>
public sealed class PublicationOptions
{
    public const string Section = "ReviewWorkflow:Publication";

    public Dictionary<string, AreaPublicationOptions> Areas { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the round closer looks for rounds whose end date has passed.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    public PublicationMode ModeFor(string areaCode) =>
        Areas.TryGetValue(areaCode, out var area) ? area.Mode : PublicationMode.Immediate;
}

public sealed class AreaPublicationOptions
{
    public PublicationMode Mode { get; set; } = PublicationMode.Immediate;
}

/// <summary>The level a result was decided at, and so whose round releases it: the site's (考点) or the area's (考区).</summary>
public static class RoundLevels
{
    public const string Site = "site";
    public const string Area = "area";

    public static bool IsKnown(string? level) => level is Site or Area;
}

/// <summary>The candidate-visible results a round releases, spelt as the contracts carry them (<see cref="ResultNames"/>).</summary>
public static class ResultKinds
{
    public const string SiteApproved = ResultNames.SiteApproved;
    public const string Approved = ResultNames.Approved;
    public const string Rejected = ResultNames.Rejected;
}

/// <summary>
/// A decided result not yet visible to the candidate. Held per scope (level + site or area code) until that scope's
/// round closes; then it is published (its round recorded) or withdrawn, when the case has moved on since (a return,
/// a later decision) and the result would be a status that changes. Published or withdrawn, never both, never twice.
/// </summary>
public sealed class HeldResult
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid CandidateId { get; set; }
    public string AreaCode { get; set; } = "";
    public string SiteCode { get; set; } = "";
    public string Level { get; set; } = "";
    /// <summary>The site code for site-level results, the area code for area-level ones: whose round releases it.</summary>
    public string ScopeCode { get; set; } = "";
    public string Result { get; set; } = "";
    public string? Reason { get; set; }
    public int SubmissionNumber { get; set; }

    /// <summary>The case's version when the result was decided (0 on rows held before it was kept): the result's <see cref="ExamReview.Contracts.ReviewPosition"/>.</summary>
    public int CaseVersion { get; set; }
    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>
    /// An approval's images (JSON array of ids), the only ones its ApplicationApproved gives a ✓ when the round publishes
    /// it; null for other results and for approvals held before it was kept (those approve every image, as they did).
    /// </summary>
    public string? ImageIdsJson { get; set; }
    public Guid? RoundId { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }

    /// <summary>Optimistic concurrency: two publishes racing over the same results cannot both commit (no second SMS).</summary>
    public int Version { get; set; }
}

/// <summary>
/// One review round of a site or an area. Open until closed by the operator or its end date; closing publishes the
/// scope's held results decided before the close. A scope (level + site or area code) has at most one open round, kept by
/// a unique index over open rounds; results decided after a close go to the next round (opened when someone schedules
/// or closes it).
/// </summary>
public sealed class ResultRound
{
    public Guid Id { get; set; }
    public string Level { get; set; } = "";
    public string ScopeCode { get; set; } = "";
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public int Published { get; set; }
    public int Withdrawn { get; set; }
    public int Version { get; set; }

    /// <summary>
    /// What is wrong with an end date an operator sets (null: nothing): it is required, after now, and in the years the
    /// platform computes with (<see cref="RequestTimes"/>). A slip of the year (9999, 2207) was stored, and the round's
    /// held results waited for it: no candidate learnt a result the round held until someone published by hand.
    /// </summary>
    public static FieldError? RefuseEndDate(DateTimeOffset? endsAt, DateTimeOffset now)
    {
        if (endsAt is not { } at || at <= now)
        {
            return new("结束时间必填，且应晚于当前时间。", "is required and must be in the future");
        }
        return RequestTimes.InRange(at) ? null : new("结束时间应为 2000 年至 2099 年之间的时间，请检查年份。", "must be a time in the years 2000 to 2099; check the year");
    }
}
