using System.Security.Claims;
using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.Contracts;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.ReviewWorkflow.Provincial;

/// <summary>
/// An area-level decision a provincial system pushes: approve, return (catalog reason codes, optional note), reject (note =
/// reason). <c>supplement</c> (return only): the candidate is to add the materials the note names; reason codes are then optional.
/// </summary>
public sealed record ProvincialDecisionRequest(string? Decision, IReadOnlyList<string>? ReasonCodes, string? Note, bool? Supplement = null);

/// <summary>One entry of the case's timeline (reviewers' and provincial systems' decisions alike).</summary>
public sealed record ProvincialTimelineEntry(string Kind, string Actor, string? Detail, DateTimeOffset At);

/// <summary>A case's result, its ETag (for a decision's If-Match) and its timeline.</summary>
public sealed record ProvincialReviewDetail(ProvincialReview Review, string ETag, IReadOnlyList<ProvincialTimelineEntry> Timeline);

/// <summary>
/// The provincial systems' side of ReviewWorkflow: review results as a change feed, one case with its ETag and
/// timeline, and an area-level decision pushed in (through the case aggregate, on the same timeline as a reviewer's,
/// under the client's name). Scoped to the token's area: another province's case is a 404, as a missing one.
/// </summary>
public static class ProvincialReviewsApi
{
    public const string Prefix = "/api/v1/provincial/reviews";
    private const int MaxNote = 2000;

    public static void MapProvincialReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapProvincialGroup(Prefix);
        group.MapGet("/", ListAsync).WithName("syncProvincialReviews").WithSummary("增量同步本省的审核结果（变更流，游标分页）")
            .WithDescription("The province's review results as a change feed: send the previous page's nextCursor as cursor (none: from the start).")
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, IdempotencyProblems.InvalidCursorCode, IdempotencyProblems.CursorAheadCode);
        group.MapGet("/{caseId:guid}", GetAsync).WithName("getProvincialReview").WithSummary("读取本省一个审核案件的结果、ETag 与时间线")
            .WithDescription("One case of the province: its result, its ETag for a decision's If-Match, and its timeline.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found");
        group.MapPost("/{caseId:guid}/decisions", DecideAsync).WithName("decideProvincialReview")
            .WithSummary("省级系统作出考区级审核决定：通过、退回（目录原因）或拒绝（需 Idempotency-Key 与 If-Match）")
            .WithDescription("An area-level decision on a case awaiting area review: approve, return with catalog reason codes, or reject; needs Idempotency-Key and If-Match.")
            .RequireIdempotencyKey<ReviewDbContext>()
            .RequireIfMatch()
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "claim_held", "images_awaiting_replacement", "materials_missing",
                "image_check_pending", "image_check_failed", "return_nothing_to_change")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "feedback_too_long");
    }

    private static Task<Results<Ok<ReviewFeedPage>, ProblemHttpResult>> ListAsync(
        string? cursor, int? limit, ClaimsPrincipal user, ReviewDbContext db, CancellationToken ct) =>
        FeedQuery.PageAsync(db, ReviewFeedProjection.Feed, user.Area()!, cursor, limit,
            (row, position) => new ReviewFeedItem(position, row.ItemId, row.Deleted, row.ChangedAt, FeedQuery.Payload<ProvincialReview>(row)),
            (items, next, more) => new ReviewFeedPage(items, next, more), ct);

    private static async Task<Results<Ok<ProvincialReviewDetail>, ProblemHttpResult>> GetAsync(
        Guid caseId, ClaimsPrincipal user, ReviewDbContext db, HttpResponse response, CancellationToken ct)
    {
        var reviewCase = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId && c.AreaCode == user.Area(), ct);
        if (reviewCase is null)
        {
            return CaseRefusals.NotFound().ToProblem();
        }
        Preconditions.SetETag(response, reviewCase.Version);
        return TypedResults.Ok(await DetailAsync(db, reviewCase, ct));
    }

    /// <summary>What a provincial decision needs: the case, the body, and the services it works with (the If-Match is read from the request).</summary>
    public sealed record ProvincialDecisionCall(
        [FromRoute(Name = "caseId")] Guid CaseId,
        ProvincialDecisionRequest Request,
        ClaimsPrincipal User,
        ReviewDbContext Db,
        TimeProvider Clock,
        IOptions<ReviewOptions> Options,
        HttpContext Http);

    private static async Task<Results<Ok<ProvincialReviewDetail>, ProblemHttpResult>> DecideAsync([AsParameters] ProvincialDecisionCall call, CancellationToken ct)
    {
        var (request, user, db, http) = (call.Request, call.User, call.Db, call.Http);
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, call.CaseId, ct);
        if (reviewCase is null || reviewCase.AreaCode != user.Area())
        {
            return CaseRefusals.NotFound().ToProblem();
        }
        if (Preconditions.Check(http.Request, reviewCase.Version) is { } precondition)
        {
            return precondition;
        }
        var now = call.Clock.GetUtcNow();
        var actor = user.ProvincialActor();
        var decision = new AreaDecision(Enum.Parse<AreaDecisionKind>(request.Decision!, ignoreCase: true), request.ReasonCodes ?? [], request.Note,
            request.Supplement == true);
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var result = reviewCase.DecideAtArea(decision, images, checks, actor, now, call.Options.Value.Deadlines.For(reviewCase.AreaCode).ResponseWindow);
        if (result.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }
        // Results (approved, rejected) go out as the area publishes them, like a reviewer's (issue 18); a return at once.
        ResultRelease.Record(db, reviewCase, result, actor, now);
        try
        {
            await db.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IdempotencyProblems.Stale();
        }
        Preconditions.SetETag(http.Response, reviewCase.Version);
        return TypedResults.Ok(await DetailAsync(db, reviewCase, ct));
    }

    private static ProblemHttpResult? Validate(ProvincialDecisionRequest request)
    {
        var kind = request.Decision?.ToLowerInvariant();
        var codes = request.ReasonCodes ?? [];
        var errors = new RequestErrors()
            .Require(kind is "approve" or "return" or "reject", "decision", "应为 approve（通过）、return（退回）或 reject（拒绝）。", "must be approve, return or reject")
            .Require(kind != "return" || codes.Count > 0 || request.Supplement == true, "reasonCodes", "退回时至少给出一个原因代码（要求补充材料的退回除外）。",
                "at least one reason code is required for a return (except one asking for materials to add)")
            .Require(request.Supplement != true || kind == "return", "supplement", "仅退回（return）时可要求补充材料。", "applies to a return only")
            .Require(codes.All(c => ReplacementReasons.Find(c) is not null), "reasonCodes",
                $"应为以下之一：{string.Join("、", ReplacementReasons.All.Select(r => $"{r.Code}（{r.NameZh}）"))}。",
                $"must each be one of: {string.Join(", ", ReplacementReasons.All.Select(r => r.Code))}")
            .Require(kind != "return" || !codes.Contains("other") || !string.IsNullOrWhiteSpace(request.Note), "note", "原因为“其他”时必须填写说明。", "is required when a reason is 'other'")
            .Require(kind != "reject" || !string.IsNullOrWhiteSpace(request.Note), "note", "拒绝时必须填写理由。", "is required (the reason) for a rejection")
            .Require(request.Note is null || request.Note.Length <= MaxNote, "note", $"最多 {MaxNote} 个字符。", $"must be at most {MaxNote} characters");
        return errors.Any ? errors.ToProblem() : null;
    }

    private static async Task<ProvincialReviewDetail> DetailAsync(ReviewDbContext db, ReviewCase reviewCase, CancellationToken ct)
    {
        var held = await HeldResultMask.FindAsync(db, reviewCase.Id, ct);
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == reviewCase.Id).ToListAsync(ct);
        // A held result's decision (and what followed it) stays out of the timeline until its round is published.
        var timeline = events.Where(e => held is null || e.At < held.DecidedAt)
            .OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new ProvincialTimelineEntry(e.Kind, e.Actor, e.Detail, e.At)).ToList();
        var review = HeldResultMask.Apply(ProvincialReview.Of(reviewCase), held);
        return new ProvincialReviewDetail(review, Preconditions.ETagOf(reviewCase.Version), timeline);
    }
}
