using System.Security.Claims;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.OpenApi;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Publication;

public sealed record RoundView(Guid? OpenRoundId, string Level, string ScopeCode, string Mode, DateTimeOffset? OpenedAt, DateTimeOffset? EndsAt,
    int Held, Guid? LastRoundId, DateTimeOffset? LastClosedAt, int LastPublished, int LastWithdrawn);

public sealed record ScheduleRoundRequest(DateTimeOffset? EndsAt);

public sealed record RoundPublishedView(Guid? RoundId, string Level, string ScopeCode, int Published, int Withdrawn, DateTimeOffset? ClosedAt);

/// <summary>
/// Operators run the rounds: see what a site's or area's round holds, set its end date, close it now. Closing
/// publishes (see <see cref="RoundPublisher"/>); repeating it is harmless.
/// </summary>
public static class PublicationApi
{
    public static void MapPublicationApi(this IEndpointRouteBuilder app)
    {
        var rounds = app.MapGroup(ReviewsApi.Prefix + "/rounds/{level}/{scopeCode}").WithTags("Publication").RequireAuthorization(Policies.Operator)
            .WithParameterValues("level", RoundLevels.Site, RoundLevels.Area)
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "unknown_area", "unknown_site");
        rounds.MapGet("/", Get).WithName("getResultRound").WithSummary("查看考点/考区本轮审核：待发布结果数、截止时间、上一轮")
            .WithDescription("The scope's open round (level site or area; scopeCode the site or area code): held results, end date, and the last closed round.");
        rounds.MapPut("/end-date", Schedule).WithName("scheduleResultRound").WithSummary("设置本轮审核的结束时间（到时自动发布结果）")
            .WithDescription("Sets the open round's end date; when it passes, the round closes and its results are published.")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "round_busy");
        rounds.MapPost("/publish", Publish).WithName("publishResultRound").WithSummary("结束本轮审核并向考生发布结果（可安全重试）")
            .WithDescription("Closes the round and publishes every held result still current (one result SMS per candidate); a repeat publishes nothing.")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "round_busy");
    }

    private static async Task<Results<Ok<RoundView>, ProblemHttpResult>> Get(
        string level, string scopeCode, ReviewDbContext db, PublicationOptions options, CancellationToken ct)
    {
        if (await RefuseAsync(db, level, scopeCode, ct) is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok(await ViewAsync(db, options, level, scopeCode, ct));
    }

    /// <summary>What setting a round's end date needs: the round's level and scope (the route), the body, and the services it works with.</summary>
    public sealed record ScheduleRoundCall(
        [FromRoute(Name = "level")] string Level,
        [FromRoute(Name = "scopeCode")] string ScopeCode,
        ScheduleRoundRequest Request,
        RoundPublisher Publisher,
        ReviewDbContext Db,
        PublicationOptions Options,
        TimeProvider Clock);

    private static async Task<Results<Ok<RoundView>, ProblemHttpResult>> Schedule([AsParameters] ScheduleRoundCall call, CancellationToken ct)
    {
        var (level, scopeCode) = (call.Level, call.ScopeCode);
        if (await RefuseAsync(call.Db, level, scopeCode, ct) is { } problem)
        {
            return problem;
        }
        if (ResultRound.RefuseEndDate(call.Request.EndsAt, call.Clock.GetUtcNow()) is { } wrong)
        {
            return Problems.Invalid("endsAt", wrong.Zh, wrong.En);
        }
        if (await call.Publisher.ScheduleAsync(level, scopeCode, call.Request.EndsAt!.Value, ct) is null)
        {
            return Problems.Conflict("round_busy", "本轮审核刚被另一请求发布或修改，结束时间未设置；请刷新查看后重试。",
                "The round was published or changed by another request meanwhile; the end date was not set. Reload and try again.");
        }
        return TypedResults.Ok(await ViewAsync(call.Db, call.Options, level, scopeCode, ct));
    }

    private static async Task<Results<Ok<RoundPublishedView>, ProblemHttpResult>> Publish(
        string level, string scopeCode, ClaimsPrincipal user, RoundPublisher publisher, ReviewDbContext db, CancellationToken ct)
    {
        if (await RefuseAsync(db, level, scopeCode, ct) is { } problem)
        {
            return problem;
        }
        try
        {
            var outcome = await publisher.PublishAsync(level, scopeCode, user.Actor(), ct);
            return TypedResults.Ok(new RoundPublishedView(outcome.RoundId, level, scopeCode, outcome.Published, outcome.Withdrawn, outcome.ClosedAt));
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("round_busy", "本轮结果正在由另一请求发布，请稍后查看；重复发布不会重复发送短信。",
                "Another request is publishing this round; check again shortly. Publishing again never sends a second SMS.");
        }
    }

    private static async Task<RoundView> ViewAsync(ReviewDbContext db, PublicationOptions options, string level, string scopeCode, CancellationToken ct)
    {
        var open = await db.ResultRounds().AsNoTracking().Where(r => r.Level == level && r.ScopeCode == scopeCode && r.ClosedAt == null)
            .OrderBy(r => r.OpenedAt).FirstOrDefaultAsync(ct);
        var last = await db.ResultRounds().AsNoTracking().Where(r => r.Level == level && r.ScopeCode == scopeCode && r.ClosedAt != null)
            .OrderByDescending(r => r.ClosedAt).FirstOrDefaultAsync(ct);
        var held = await db.HeldResults().CountAsync(h => h.Level == level && h.ScopeCode == scopeCode && h.PublishedAt == null && h.WithdrawnAt == null, ct);
        var area = await db.Cases.AsNoTracking().Where(c => level == RoundLevels.Area ? c.AreaCode == scopeCode : c.SiteCode == scopeCode)
            .Select(c => c.AreaCode).FirstOrDefaultAsync(ct) ?? (level == RoundLevels.Area ? scopeCode : "");
        return new RoundView(open?.Id, level, scopeCode, options.ModeFor(area).ToString(), open?.OpenedAt, open?.EndsAt, held,
            last?.Id, last?.ClosedAt, last?.Published ?? 0, last?.Withdrawn ?? 0);
    }

    /// <summary>The level and the code's shape first (400), then whether Registration ever announced that site or area (404).</summary>
    private static async Task<ProblemHttpResult?> RefuseAsync(ReviewDbContext db, string level, string scopeCode, CancellationToken ct) =>
        Invalid(level, scopeCode) ?? (level == RoundLevels.Area
            ? await PlaceChecks.RefuseAreaAsync(db, scopeCode, StatusCodes.Status404NotFound, ct)
            : await PlaceChecks.RefuseSiteAsync(db, scopeCode, null, StatusCodes.Status404NotFound, ct));

    private static ProblemHttpResult? Invalid(string level, string scopeCode) =>
        !RoundLevels.IsKnown(level)
            ? Problems.Invalid("level", "级别应为 site（考点）或 area（考区）。", "must be site or area")
            : scopeCode.Length is 0 or > 16 || !scopeCode.All(char.IsAsciiLetterOrDigit)
                ? Problems.Invalid("scopeCode", "应为考点或考区代码（最多 16 位字母或数字）。", "must be a site or area code (at most 16 letters or digits)")
                : null;
}
