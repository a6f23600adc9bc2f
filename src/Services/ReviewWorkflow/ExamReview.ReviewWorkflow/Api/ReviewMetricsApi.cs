using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

public sealed record StatusCount(string AreaCode, string SiteCode, string State, int Count);

/// <param name="Approximate">
/// True when the period held more than <see cref="ReviewMetricsQuery.ExactLimit"/> cases: the median and p90 are then
/// the middle of the histogram bucket the nearest rank falls in, within 4.5 % of the exact figure.
/// </param>
public sealed record DurationStats(int Count, double? MedianSeconds, double? P90Seconds, bool Approximate = false);

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
/// The period the metrics cover (from <see cref="PeriodStart"/>, up to but not including <see cref="PeriodEnd"/>) and the
/// area or site they are limited to (null: all).
/// </summary>
public sealed record MetricsScope(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string? AreaCode, string? SiteCode);

/// <summary>
/// Operators' view of the review: the current case count per status per site and area (over every case), and
/// for a period (default the last 30 days) how long cases waited for a first review and for a final decision,
/// the approval and return rates, and each reviewer's throughput.
/// </summary>
public static class ReviewMetricsApi
{
    public static void MapReviewMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapGet(ReviewsApi.Prefix + "/metrics", Get).WithTags("Reviews").RequireAuthorization(Policies.Operator)
            .WithName("getReviewMetrics").WithSummary("审核运营指标（运营人员）")
            .WithDescription("Cases per status per site and area; median and p90 time to first review and to final decision; approval and return rates; throughput per reviewer.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_area", "unknown_site");

    /// <summary>What the metrics read needs beside the period: the area or site asked for (optional, in the query) and the services it works with.</summary>
    public sealed record ReviewMetricsCall(
        ReviewDbContext Db,
        TimeProvider Clock,
        [FromQuery(Name = "areaCode")] string? AreaCode,
        [FromQuery(Name = "siteCode")] string? SiteCode);

    // from and to stay the handler's own parameters: a value that does not parse is answered (400) under the parameter's
    // name, which through the record would be the property's ("From").
    private static async Task<Results<Ok<ReviewMetrics>, ProblemHttpResult>> Get(
        DateTimeOffset? from, DateTimeOffset? to, [AsParameters] ReviewMetricsCall call, CancellationToken ct)
    {
        if (new RequestErrors().RequireTimeInRange(from, "from").RequireTimeInRange(to, "to") is { Any: true } outOfRange)
        {
            return outOfRange.ToProblem();
        }
        var periodEnd = to ?? call.Clock.GetUtcNow();
        var periodStart = from ?? periodEnd.AddDays(-30);
        if (periodStart >= periodEnd)
        {
            return Problems.Invalid("from", "应早于 to。", "must be before to");
        }
        if (periodEnd - periodStart > TimeSpan.FromDays(366))
        {
            return Problems.Invalid("from", "统计区间最长 366 天。", "the period is at most 366 days");
        }
        // Figures for a place that does not exist would all be zero: refused, as a filter no answer can meet.
        if (call.AreaCode is { } area && await PlaceChecks.RefuseAreaAsync(call.Db, area, StatusCodes.Status422UnprocessableEntity, ct) is { } noArea)
        {
            return noArea;
        }
        if (call.SiteCode is { } site && await PlaceChecks.RefuseSiteAsync(call.Db, site, call.AreaCode, StatusCodes.Status422UnprocessableEntity, ct) is { } noSite)
        {
            return noSite;
        }
        return TypedResults.Ok(await ReviewMetricsQuery.ComputeAsync(call.Db, new MetricsScope(periodStart, periodEnd, call.AreaCode, call.SiteCode), ct));
    }
}

/// <summary>
/// Computes <see cref="ReviewMetrics"/>. Every figure is aggregated by the database: counts per status from
/// <see cref="ReviewCaseCount"/>, throughput by GROUP BY, and the median and p90 waits from the per-day histograms
/// (<see cref="ReviewDurationBucket"/>) when a period holds more cases than <see cref="ExactLimit"/> (a national month
/// at the peak holds ~400,000, which percentile_disc took 0.8–1 s to order at 10,000,000 cases), otherwise exactly:
/// on PostgreSQL by <c>percentile_disc</c> (nearest rank), in the embedded SQLite run, which has no percentile
/// aggregate, in memory by the same method (a test checks both against the same data).
/// </summary>
public static class ReviewMetricsQuery
{
    /// <summary>Up to this many cases in a period, its median and p90 are exact; above, they come from the histogram.</summary>
    public const int ExactLimit = 20_000;

    public static async Task<ReviewMetrics> ComputeAsync(ReviewDbContext db, MetricsScope scope, CancellationToken ct, int exactLimit = ExactLimit)
    {
        // PostgreSQL takes timestamptz parameters in UTC only; an operator may well write +08:00.
        scope = scope with { PeriodStart = scope.PeriodStart.ToUniversalTime(), PeriodEnd = scope.PeriodEnd.ToUniversalTime() };
        var (periodStart, periodEnd, areaCode, siteCode) = scope;
        IQueryable<ReviewCase> cases = db.Cases.AsNoTracking();
        if (areaCode is not null)
        {
            cases = cases.Where(c => c.AreaCode == areaCode);
        }
        if (siteCode is not null)
        {
            cases = cases.Where(c => c.SiteCode == siteCode);
        }

        // Kept with every change of a case (CaseCountDeltas): a few thousand rows, not every case counted per call.
        IQueryable<ReviewCaseCount> counts = db.CaseCounts.AsNoTracking().Where(c => c.Count != 0);
        if (areaCode is not null)
        {
            counts = counts.Where(c => c.AreaCode == areaCode);
        }
        if (siteCode is not null)
        {
            counts = counts.Where(c => c.SiteCode == siteCode);
        }
        var byStatus = await counts.Select(c => new { c.AreaCode, c.SiteCode, c.State, Count = (int)c.Count }).ToListAsync(ct);

        var (firstReviews, returned) = await DurationsAsync(db, DurationMeasure.FirstReview, cases, scope, exactLimit, ct);
        var (finals, approved) = await DurationsAsync(db, DurationMeasure.FinalDecision, cases, scope, exactLimit, ct);

        IQueryable<CaseEvent> events = db.CaseEvents.AsNoTracking()
            .Where(e => CaseEventKinds.Decisions.Contains(e.Kind) && e.At >= periodStart && e.At < periodEnd);
        if (areaCode is not null || siteCode is not null)
        {
            events = events.Where(e => cases.Any(c => c.Id == e.CaseId));
        }
        var decisions = await events.GroupBy(e => new { e.Actor, e.Kind }).Select(g => new { g.Key.Actor, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);

        var throughput = decisions.GroupBy(d => d.Actor).Select(g => new ReviewerThroughput(
                g.Key,
                g.Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.ImageApproved or CaseEventKinds.ImageReplacementRequested).Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.SiteApproved or CaseEventKinds.AreaApproved).Sum(d => d.Count),
                g.Where(d => d.Kind is CaseEventKinds.ReturnedSite or CaseEventKinds.ReturnedArea).Sum(d => d.Count),
                g.Where(d => d.Kind == CaseEventKinds.Rejected).Sum(d => d.Count)))
            .OrderByDescending(t => t.Decisions).ThenBy(t => t.Reviewer, StringComparer.Ordinal).ToList();

        return new ReviewMetrics(
            periodStart, periodEnd, areaCode, siteCode,
            byStatus.OrderBy(s => s.AreaCode, StringComparer.Ordinal).ThenBy(s => s.SiteCode, StringComparer.Ordinal).ThenBy(s => s.State)
                .Select(s => new StatusCount(s.AreaCode, s.SiteCode, s.State.ToString(), s.Count)).ToList(),
            firstReviews,
            finals,
            finals.Count,
            finals.Count == 0 ? null : (double)approved / finals.Count,
            firstReviews.Count,
            firstReviews.Count == 0 ? null : (double)returned / firstReviews.Count,
            throughput);
    }

    /// <summary>
    /// Count, median and p90 of one wait over the period, and how many of its cases are flagged. A country or an area
    /// reads the histogram first (a few thousand rows whatever the period holds); when that shows no more than
    /// <paramref name="exactLimit"/> cases, or for one site (a few thousand cases a month, on its own index), the
    /// cases themselves give the exact nearest-rank figures.
    /// </summary>
    private static async Task<(DurationStats Stats, int Flagged)> DurationsAsync(
        ReviewDbContext db, DurationMeasure measure, IQueryable<ReviewCase> cases, MetricsScope scope, int exactLimit, CancellationToken ct)
    {
        var (periodStart, periodEnd, areaCode, siteCode) = scope;
        if (siteCode is null)
        {
            var histogram = await DurationHistogramQuery.ReadAsync(db, measure, periodStart, periodEnd, areaCode, ct);
            if (histogram.Total > exactLimit)
            {
                return (new DurationStats((int)histogram.Total, DurationBuckets.Percentile(histogram.Counts, 0.5),
                    DurationBuckets.Percentile(histogram.Counts, 0.9), Approximate: true), (int)histogram.Flagged);
            }
        }
        return (measure, db.IsSqlite) switch
        {
            (DurationMeasure.FirstReview, true) => await InMemoryAsync(
                cases.Where(c => c.FirstReviewedAt >= periodStart && c.FirstReviewedAt < periodEnd)
                    .Select(c => new Span(c.OpenedAt, c.FirstReviewedAt!.Value, c.ReturnCount > 0)), ct),
            (DurationMeasure.FirstReview, false) => await InSqlAsync(db, "FirstReviewedAt", "\"ReturnCount\" > 0", scope, ct),
            (_, true) => await InMemoryAsync(
                cases.Where(c => c.DecidedAt >= periodStart && c.DecidedAt < periodEnd)
                    .Select(c => new Span(c.OpenedAt, c.DecidedAt!.Value, c.State == CaseState.Approved)), ct),
            (_, false) => await InSqlAsync(db, "DecidedAt", $"\"State\" = {(int)CaseState.Approved}", scope, ct),
        };
    }

    /// <summary>One case's wait: from opening to <paramref name="Until"/>; <paramref name="Flagged"/> is the figure counted beside it.</summary>
    private sealed record Span(DateTimeOffset OpenedAt, DateTimeOffset Until, bool Flagged);

    /// <summary>The result row of <see cref="InSqlAsync"/>.</summary>
    private sealed record DurationRow(int Count, double? Median, double? P90, int Flagged);

    private static async Task<(DurationStats Stats, int Flagged)> InMemoryAsync(IQueryable<Span> spans, CancellationToken ct)
    {
        var rows = await spans.ToListAsync(ct);
        return (Durations.Of(rows.Select(r => r.Until - r.OpenedAt)), rows.Count(r => r.Flagged));
    }

    /// <summary>
    /// Count, median and p90 of (<paramref name="endColumn"/> − OpenedAt) for the cases of the scope whose
    /// <paramref name="endColumn"/> falls in its period, and how many of them match <paramref name="flagCondition"/>.
    /// Both are fixed fragments of this class (never input); every value is a parameter.
    /// </summary>
    private static async Task<(DurationStats Stats, int Flagged)> InSqlAsync(
        ReviewDbContext db, string endColumn, string flagCondition, MetricsScope scope, CancellationToken ct)
    {
        var (periodStart, periodEnd, areaCode, siteCode) = scope;
        var seconds = $"greatest(0, extract(epoch FROM \"{endColumn}\" - \"OpenedAt\"))";
#pragma warning disable EF1002 // the interpolated fragments are the constants above; values go in as parameters
        var row = await db.Database.SqlQueryRaw<DurationRow>(
            $"""
            SELECT count(*)::int AS "Count",
                   (percentile_disc(0.5) WITHIN GROUP (ORDER BY {seconds}))::float8 AS "Median",
                   (percentile_disc(0.9) WITHIN GROUP (ORDER BY {seconds}))::float8 AS "P90",
                   (count(*) FILTER (WHERE {flagCondition}))::int AS "Flagged"
            FROM "ReviewCases"
            WHERE "{endColumn}" >= @periodStart AND "{endColumn}" < @periodEnd
              AND (@areaCode::text IS NULL OR "AreaCode" = @areaCode)
              AND (@siteCode::text IS NULL OR "SiteCode" = @siteCode)
            """,
            new Npgsql.NpgsqlParameter("periodStart", periodStart),
            new Npgsql.NpgsqlParameter("periodEnd", periodEnd),
            new Npgsql.NpgsqlParameter("areaCode", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)areaCode ?? DBNull.Value },
            new Npgsql.NpgsqlParameter("siteCode", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)siteCode ?? DBNull.Value })
            .ToListAsync(ct);
#pragma warning restore EF1002
        var result = row.Single();
        return (new DurationStats(result.Count, result.Median, result.P90), result.Flagged);
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
