using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>Queues, single cases and their timelines; the actions live in <see cref="ClaimsApi"/> and <see cref="DecisionsApi"/>.</summary>
public static class ReviewsApi
{
    public const string Prefix = "/api/v1/reviews";

    public static void MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix + "/cases").WithTags("Reviews").RequireAuthorization(Policies.Reviewer);
        group.MapGet("/", List).WithName("listReviewCases").WithSummary("本人的审核队列（本考点或本考区的案件，可筛选、键集分页）")
            .WithParameterValues("state", Enum.GetNames<CaseState>()).WithDescription(
            "The caller's queue: cases of their site (site reviewers) or area (area reviewers), filterable by state, category, " +
            "submitted date, overdue, escalated, resubmitted-since-last-review, claimed, and mine (the caller's claims).");
        group.MapGet("/{caseId:guid}", Get).WithName("getReviewCase").WithSummary("一个审核案件：当前图片、各自的决定及重传图片的上次决定")
            .WithDescription("One case with its current images, their decisions and, for resubmitted images, the previous decision.").ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
        group.MapGet("/{caseId:guid}/timeline", Timeline).WithName("getReviewTimeline").WithSummary("只追加的审核时间线：认领、决定、消息与重传")
            .WithDescription("The append-only audit timeline: every claim, decision, message and resubmission.").ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope");
        group.MapClaimsApi();
        group.MapDecisionsApi();
        group.MapConsoleSupportApi();
        app.MapReviewTrendsApi();

        app.MapGet(Prefix + "/reason-codes", () => TypedResults.Ok(ReplacementReasons.All))
            .WithTags("Reviews").RequireAuthorization(Policies.Reviewer)
            .WithName("listReplacementReasons").WithSummary("要求重传图片时可选的原因代码").WithDescription("The catalog of reasons a reviewer picks from when asking for a replacement image.");
        app.MapReviewMetricsApi();
    }

    private static async Task<Results<Ok<CasePage>, ProblemHttpResult>> List(
        ClaimsPrincipal user,
        ReviewDbContext db,
        TimeProvider clock,
        string? state,
        string? category,
        DateTimeOffset? submittedFrom,
        DateTimeOffset? submittedTo,
        bool? overdue,
        bool? escalated,
        bool? resubmitted,
        bool? claimed,
        bool? mine,
        string? cursor,
        int? limit,
        CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 200);
        var now = clock.GetUtcNow();
        IQueryable<ReviewCase> query = db.Cases.AsNoTracking();
        query = CaseAccess.LevelOf(user) == ReviewLevel.Site
            ? query.Where(c => c.SiteCode == user.Site())
            : query.Where(c => c.AreaCode == user.Area());
        if (state is not null)
        {
            if (!Enum.TryParse<CaseState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid("state", $"应为以下之一：{string.Join("、", Enum.GetNames<CaseState>())}。",
                    $"must be one of: {string.Join(", ", Enum.GetNames<CaseState>())}");
            }
            query = query.Where(c => c.State == parsed);
        }
        if (submittedFrom is { } from && submittedTo is { } to && from > to)
        {
            return Problems.Invalid("submittedFrom", "不能晚于 submittedTo。", "must not be after submittedTo");
        }
        if (category is not null)
        {
            query = query.Where(c => c.ExamCategory == category);
        }
        if (submittedFrom is { } after)
        {
            query = query.Where(c => c.SubmittedAt >= after);
        }
        if (submittedTo is { } before)
        {
            query = query.Where(c => c.SubmittedAt < before);
        }
        if (overdue is { } isOverdue)
        {
            query = isOverdue
                ? query.Where(c => c.State == CaseState.Returned && c.RespondBy <= now)
                : query.Where(c => !(c.State == CaseState.Returned && c.RespondBy <= now));
        }
        if (escalated is { } isEscalated)
        {
            query = isEscalated ? query.Where(c => c.EscalatedAt != null) : query.Where(c => c.EscalatedAt == null);
        }
        if (resubmitted is { } isResubmitted)
        {
            // Literal predicates, not a parameter: the partial index on resubmitted cases matches only a literal.
            query = isResubmitted ? query.Where(c => c.ResubmittedSinceReview) : query.Where(c => !c.ResubmittedSinceReview);
        }
        if (claimed is { } isClaimed)
        {
            query = isClaimed
                ? query.Where(c => c.ClaimedBy != null && c.ClaimExpiresAt > now)
                : query.Where(c => c.ClaimedBy == null || c.ClaimExpiresAt <= now);
        }
        if (mine == true)
        {
            var actor = user.Actor();
            query = query.Where(c => c.ClaimedBy == actor && c.ClaimExpiresAt > now);
        }
        if (cursor is not null)
        {
            // Keyset paging on (SubmittedAt, Id): stays fast however deep the queue is. The redundant
            // "SubmittedAt >= t" gives the database an index range to start from instead of filtering the OR.
            if (!Cursor.TryParse(cursor, out var position))
            {
                return Problems.Invalid("cursor", "不是本接口返回的翻页游标。", "is not a cursor returned by this API");
            }
            query = query.Where(c => c.SubmittedAt >= position.SubmittedAt
                && (c.SubmittedAt > position.SubmittedAt || c.Id.CompareTo(position.Id) > 0));
        }
        var page = query.OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Take(take + 1);
        if (overdue == true || mine == true)
        {
            // Keys first: these filters find their rows by a range on a deadline or a lease, not in queue order, and can
            // match thousands (see ReviewCaseQueueIndexes): sort their keys from the index alone, read only the page's rows.
            var keys = page.Select(c => c.Id);
            page = db.Cases.AsNoTracking().Where(c => keys.Contains(c.Id)).OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id);
        }
        var items = await page.ToListAsync(ct);
        var next = items.Count > take ? Cursor.Format(items[take - 1].SubmittedAt, items[take - 1].Id) : null;
        return TypedResults.Ok(new CasePage(items.Take(take).Select(c => ReviewViews.ToView(c, now)).ToList(), next));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Get(Guid caseId, ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var reviewCase = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var images = await db.ImageReviews.AsNoTracking().Where(i => i.CaseId == caseId).OrderBy(i => i.Id).ToListAsync(ct);
        if (images.Count == 0)
        {
            images = ReviewViews.ImageIds(reviewCase!).Select(id => new ImageReview { CaseId = caseId, ImageId = id }).ToList();
        }
        var now = clock.GetUtcNow();
        await CaseAccess.RecordOpenedAsync(db, user, reviewCase!, now, ct);
        return TypedResults.Ok(await ReviewViews.WithLocksAsync(db, ReviewViews.ToView(reviewCase!, now, images), ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseEventView>>, ProblemHttpResult>> Timeline(Guid caseId, ClaimsPrincipal user, ReviewDbContext db, CancellationToken ct)
    {
        var reviewCase = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CaseEventView(e.Kind, e.Actor, e.Detail, e.At)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<CaseEventView>>(events);
    }

    private static class Cursor
    {
        public static string Format(DateTimeOffset submittedAt, Guid id) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{submittedAt.UtcTicks}:{id:N}"));

        public static bool TryParse(string value, out (DateTimeOffset SubmittedAt, Guid Id) cursor)
        {
            cursor = default;
            try
            {
                var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value)).Split(':');
                if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && Guid.TryParseExact(parts[1], "N", out var id) && ticks > 0
                    && ticks <= DateTimeOffset.MaxValue.UtcTicks)
                {
                    cursor = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
                    return true;
                }
            }
            catch (FormatException)
            {
                return false;
            }
            return false;
        }
    }
}
