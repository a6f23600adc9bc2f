using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>Decisions on one day (Beijing time): approvals at either level, returns and rejections.</summary>
public sealed record DailyThroughput(DateOnly Day, int Approved, int Returned, int Rejected);

/// <summary>How often a reason was given: images asked to be replaced with it, and the share of reviewed cases it sent back.</summary>
public sealed record ReturnReasonRate(string ReasonCode, string Reason, int Images, int Cases, double? Rate);

public sealed record ReviewTrends(
    DateTimeOffset From,
    DateTimeOffset To,
    string? AreaCode,
    IReadOnlyList<DailyThroughput> ThroughputPerDay,
    DurationStats TimeToFirstReview,
    int CasesReviewed,
    double? ReturnRate,
    IReadOnlyList<ReturnReasonRate> ReturnRateByReason);

/// <summary>
/// The review's trends for area reviewers (their own area) and operators (any area, or all): decisions per day, time
/// to first review (the operators' metrics query, same figures) and the return rate by replacement reason.
/// </summary>
public static class ReviewTrendsApi
{
    public static void MapReviewTrendsApi(this IEndpointRouteBuilder app) =>
        app.MapGet(ReviewsApi.Prefix + "/metrics/trends", Get).WithTags("Reviews")
            .RequireAuthorization(p => p.RequireAssertion(c =>
                c.User.IsInRole(Roles.Operator) || c.User.IsInRole(Roles.AreaReviewer) && c.User.Area() is not null))
            .WithName("getReviewTrends").WithSummary("审核趋势：每日处理量、首次审核用时、按原因的退回率（考区审核员看本考区）")
            .WithDescription("Decisions per day, time to first review and the return rate by replacement reason; area reviewers see their own area, operators any.")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_area");

    /// <summary>What the trends read needs beside the period: the area asked for (optional, in the query) and the services it works with.</summary>
    public sealed record ReviewTrendsCall(
        ClaimsPrincipal User,
        ReviewDbContext Db,
        TimeProvider Clock,
        [FromQuery(Name = "areaCode")] string? AreaCode);

    // from and to stay the handler's own parameters, as in ReviewMetricsApi.Get: a value that does not parse is answered
    // (400) under the parameter's name, which through the record would be the property's ("From").
    private static async Task<Results<Ok<ReviewTrends>, ProblemHttpResult>> Get(
        DateTimeOffset? from, DateTimeOffset? to, [AsParameters] ReviewTrendsCall call, CancellationToken ct)
    {
        var (user, db) = (call.User, call.Db);
        if (new RequestErrors().RequireTimeInRange(from, "from").RequireTimeInRange(to, "to") is { Any: true } outOfRange)
        {
            return outOfRange.ToProblem();
        }
        var periodEnd = (to ?? call.Clock.GetUtcNow()).ToUniversalTime();
        var periodStart = (from ?? periodEnd.AddDays(-14)).ToUniversalTime();
        if (periodStart >= periodEnd)
        {
            return Problems.Invalid("from", "应早于 to。", "must be before to");
        }
        if (periodEnd - periodStart > TimeSpan.FromDays(92))
        {
            return Problems.Invalid("from", "趋势区间最长 92 天。", "the period is at most 92 days");
        }
        // An area reviewer sees their own area whatever they ask for; operators choose.
        var area = user.IsInRole(Roles.Operator) ? call.AreaCode : user.Area();
        if (user.IsInRole(Roles.Operator) && area is not null && await PlaceChecks.RefuseAreaAsync(db, area, StatusCodes.Status422UnprocessableEntity, ct) is { } unknown)
        {
            return unknown;
        }
        var metrics = await ReviewMetricsQuery.ComputeAsync(db, new MetricsScope(periodStart, periodEnd, area, null), ct);

        var cases = db.Cases.AsNoTracking().Where(c => area == null || c.AreaCode == area);
        string[] decisionKinds = [CaseEventKinds.SiteApproved, CaseEventKinds.AreaApproved, CaseEventKinds.ReturnedSite, CaseEventKinds.ReturnedArea, CaseEventKinds.Rejected];
        // Only the kind and time of the period's decisions travel (a few thousand rows an area a day at most); days are Beijing days.
        var decisions = await db.CaseEvents.AsNoTracking()
            .Where(e => e.At >= periodStart && e.At < periodEnd && decisionKinds.Contains(e.Kind) && cases.Any(c => c.Id == e.CaseId))
            .Select(e => new { e.Kind, e.At }).ToListAsync(ct);
        var perDay = decisions.GroupBy(d => ChinaTime.DayOf(d.At)).ToDictionary(g => g.Key);
        var days = new List<DailyThroughput>();
        for (var day = ChinaTime.DayOf(periodStart); day <= ChinaTime.DayOf(periodEnd); day = day.AddDays(1))
        {
            var of = perDay.TryGetValue(day, out var g) ? g.ToList() : [];
            days.Add(new DailyThroughput(day,
                of.Count(d => d.Kind is CaseEventKinds.SiteApproved or CaseEventKinds.AreaApproved),
                of.Count(d => d.Kind is CaseEventKinds.ReturnedSite or CaseEventKinds.ReturnedArea),
                of.Count(d => d.Kind == CaseEventKinds.Rejected)));
        }

        var reasons = await db.ImageReviews.AsNoTracking()
            .Where(i => i.DecidedAt >= periodStart && i.DecidedAt < periodEnd && i.ReasonCode != null && i.Decision == ImageDecision.ReplacementRequested
                && cases.Any(c => c.Id == i.CaseId))
            .GroupBy(i => i.ReasonCode!)
            .Select(g => new { Code = g.Key, Images = g.Count(), Cases = g.Select(i => i.CaseId).Distinct().Count() })
            .ToListAsync(ct);
        var byReason = ReplacementReasons.Recorded
            .Select(r => (Reason: r, Found: reasons.FirstOrDefault(x => x.Code == r.Code)))
            .Where(x => x.Found is not null)
            .Select(x => new ReturnReasonRate(x.Reason.Code, x.Reason.NameZh, x.Found!.Images, x.Found.Cases,
                metrics.CasesReviewed == 0 ? null : Math.Round((double)x.Found.Cases / metrics.CasesReviewed, 4)))
            .OrderByDescending(r => r.Cases).ToList();
        return TypedResults.Ok(new ReviewTrends(periodStart, periodEnd, area, days, metrics.TimeToFirstReview, metrics.CasesReviewed, metrics.ReturnRate, byReason));
    }
}
