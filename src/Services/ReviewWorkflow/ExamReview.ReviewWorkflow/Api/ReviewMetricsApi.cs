using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

public sealed record StatusCount(string AreaCode, string SiteCode, string State, int Count);

public sealed record DurationStats(int Count, double? MedianSeconds, double? P90Seconds);

public sealed record ReviewerThroughput(string Reviewer, int Decisions, int ImageDecisions, int Approvals, int Returns, int Rejections);

public sealed record ReviewMetrics(
    DateTimeOffset From,
    DateTimeOffset To,
    string? AreaCode,
    string? SiteCode,
    IReadOnlyList<StatusCount> CasesByStatus,
    DurationStats TimeToFirstReview,
    DurationStats TimeToFinalDecision,
    int FinalDecisions,
    double? ApprovalRate,
    int CasesReviewed,
    double? ReturnRate,
    IReadOnlyList<ReviewerThroughput> ThroughputPerReviewer);

/// <summary>
/// Operators' view of the review: the current case count per status per site and area (over every case), and
/// for a period (default the last 30 days) how long cases waited for a first review and for a final decision,
/// the approval and return rates, and each reviewer's throughput.
/// </summary>
public static class ReviewMetricsApi
{
    public static void MapReviewMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapGet(ReviewsApi.Prefix + "/metrics", Get).WithTags("Reviews").RequireAuthorization(Policies.Operator)
            .WithSummary("Cases per status per site and area; median and p90 time to first review and to final decision; approval and return rates; throughput per reviewer.");

    private static async Task<Results<Ok<ReviewMetrics>, ProblemHttpResult>> Get(
        ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, DateTimeOffset? from, DateTimeOffset? to, string? areaCode, string? siteCode, CancellationToken ct)
    {
        var periodEnd = to ?? clock.GetUtcNow();
        var periodStart = from ?? periodEnd.AddDays(-30);
        if (periodStart >= periodEnd)
        {
            return Problems.Invalid("from", "must be before to");
        }
        if (periodEnd - periodStart > TimeSpan.FromDays(366))
        {
            return Problems.Invalid("from", "the period is at most 366 days");
        }
        IQueryable<ReviewCase> cases = db.Cases.AsNoTracking();
        if (areaCode is not null)
        {
            cases = cases.Where(c => c.AreaCode == areaCode);
        }
        if (siteCode is not null)
        {
            cases = cases.Where(c => c.SiteCode == siteCode);
        }

        var byStatus = await cases.GroupBy(c => new { c.AreaCode, c.SiteCode, c.State })
            .Select(g => new { g.Key.AreaCode, g.Key.SiteCode, g.Key.State, Count = g.Count() })
            .ToListAsync(ct);

        var firstReviews = await cases.Where(c => c.FirstReviewedAt >= periodStart && c.FirstReviewedAt < periodEnd)
            .Select(c => new { c.OpenedAt, FirstReviewedAt = c.FirstReviewedAt!.Value, c.ReturnCount }).ToListAsync(ct);
        var finals = await cases.Where(c => c.DecidedAt >= periodStart && c.DecidedAt < periodEnd)
            .Select(c => new { c.OpenedAt, DecidedAt = c.DecidedAt!.Value, c.State }).ToListAsync(ct);

        IQueryable<CaseEvent> events = db.CaseEvents.AsNoTracking()
            .Where(e => CaseEventKinds.Decisions.Contains(e.Kind) && e.At >= periodStart && e.At < periodEnd);
        if (areaCode is not null || siteCode is not null)
        {
            events = events.Where(e => cases.Any(c => c.Id == e.CaseId));
        }
        var decisions = await events.GroupBy(e => new { e.Actor, e.Kind }).Select(g => new { g.Key.Actor, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);

        var approved = finals.Count(f => f.State == CaseState.Approved);
        var throughput = decisions.GroupBy(d => d.Actor).Select(g => new ReviewerThroughput(
                g.Key,
                g.Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.ImageApproved or CaseEventKinds.ImageReplacementRequested).Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.SiteApproved or CaseEventKinds.AreaApproved).Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.ReturnedSite or CaseEventKinds.ReturnedArea).Sum(d => d.Count),
                g.Where(d => d.Kind == CaseEventKinds.Rejected).Sum(d => d.Count)))
            .OrderByDescending(t => t.Decisions).ThenBy(t => t.Reviewer, StringComparer.Ordinal).ToList();

        return TypedResults.Ok(new ReviewMetrics(
            periodStart, periodEnd, areaCode, siteCode,
            byStatus.OrderBy(s => s.AreaCode, StringComparer.Ordinal).ThenBy(s => s.SiteCode, StringComparer.Ordinal).ThenBy(s => s.State)
                .Select(s => new StatusCount(s.AreaCode, s.SiteCode, s.State.ToString(), s.Count)).ToList(),
            Durations.Of(firstReviews.Select(f => f.FirstReviewedAt - f.OpenedAt)),
            Durations.Of(finals.Select(f => f.DecidedAt - f.OpenedAt)),
            finals.Count,
            finals.Count == 0 ? null : (double)approved / finals.Count,
            firstReviews.Count,
            firstReviews.Count == 0 ? null : (double)firstReviews.Count(f => f.ReturnCount > 0) / firstReviews.Count,
            throughput));
    }
}

/// <summary>Percentiles by the nearest-rank method.</summary>
public static class Durations
{
    public static DurationStats Of(IEnumerable<TimeSpan> durations)
    {
        var seconds = durations.Select(d => Math.Max(0, d.TotalSeconds)).Order().ToArray();
        return seconds.Length == 0
            ? new DurationStats(0, null, null)
            : new DurationStats(seconds.Length, Percentile(seconds, 0.5), Percentile(seconds, 0.9));
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
