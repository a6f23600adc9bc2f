using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Paging;
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
            .WithParameterValues("state", Enum.GetNames<CaseState>()).WithParameterValues("category", [.. ExamCategoryCodes.All]).WithDescription(
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

        app.MapGet(Prefix + "/reason-codes", ReasonCodes)
            .WithTags("Reviews").RequireAuthorization(Policies.Reviewer)
            .WithName("listReplacementReasons").WithSummary("要求重传图片时可选的原因代码").WithDescription("The catalog of reasons a reviewer picks from when asking for a replacement image.");
        app.MapReviewMetricsApi();
    }

    private static Ok<IReadOnlyList<ReplacementReason>> ReasonCodes() => TypedResults.Ok(ReplacementReasons.All);

    private static async Task<Results<Ok<CasePage>, ProblemHttpResult>> List(
        [AsParameters] CaseListRequest request, ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (page, refusal) = CaseQueueQuery.Build(db, request, user, now);
        if (refusal is not null)
        {
            return refusal;
        }
        var items = await page!.ToListAsync(ct);
        var take = CaseQueueQuery.Take(request);
        var next = items.Count > take ? KeysetCursor.Format(items[take - 1].SubmittedAt, items[take - 1].Id) : null;
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
            images = CaseImageIds.Of(reviewCase!).Select(id => new ImageReview { CaseId = caseId, ImageId = id }).ToList();
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
}
