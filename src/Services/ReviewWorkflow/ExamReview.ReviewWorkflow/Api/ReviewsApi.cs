using System.Security.Claims;
using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

public sealed record CaseView(
    Guid CaseId,
    Guid ApplicationId,
    Guid CandidateId,
    string RegistrationNumber,
    string AreaCode,
    string SiteCode,
    string State,
    int SubmissionNumber,
    IReadOnlyList<Guid> ImageIds,
    string? Feedback,
    DateTimeOffset? RespondBy,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt);

public sealed record CasePage(IReadOnlyList<CaseView> Items, string? NextCursor);

public sealed record ReturnRequest(string? Feedback, IReadOnlyList<Guid>? ImageIds);

public sealed record RejectRequest(string? Reason);

public sealed record CaseEventView(string Kind, string Actor, string? Detail, DateTimeOffset At);

public static class ReviewsApi
{
    public const string Prefix = "/api/v1/reviews";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix + "/cases").WithTags("Reviews").RequireAuthorization(Policies.Reviewer);
        group.MapGet("/", List).WithSummary("The caller's queue: cases of their site (site reviewers) or area (area reviewers).");
        group.MapGet("/{caseId:guid}", Get);
        group.MapGet("/{caseId:guid}/timeline", Timeline);
        group.MapPost("/{caseId:guid}/approve", Approve).WithSummary("考点通过 for site reviewers; 审核通过 for area reviewers.");
        group.MapPost("/{caseId:guid}/return", Return).WithSummary("Returns the application with feedback; unlocks the named images.");
        group.MapPost("/{caseId:guid}/reject", Reject).RequireAuthorization(Policies.AreaReviewer);
    }

    private static async Task<Results<Ok<CasePage>, ProblemHttpResult>> List(
        ClaimsPrincipal user, ReviewDbContext db, string? state, string? cursor, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 200);
        IQueryable<ReviewCase> query = db.Cases.AsNoTracking();
        query = user.IsInRole(Roles.SiteReviewer)
            ? query.Where(c => c.SiteCode == user.Site())
            : query.Where(c => c.AreaCode == user.Area());
        if (state is not null)
        {
            if (!Enum.TryParse<CaseState>(state, ignoreCase: true, out var parsed))
            {
                return Problems.Invalid("state", $"must be one of: {string.Join(", ", Enum.GetNames<CaseState>())}");
            }
            query = query.Where(c => c.State == parsed);
        }
        if (cursor is not null)
        {
            // Keyset paging on (SubmittedAt, Id): stays fast however deep the queue is.
            if (!Cursor.TryParse(cursor, out var after))
            {
                return Problems.Invalid("cursor", "is not a cursor returned by this API");
            }
            query = query.Where(c => c.SubmittedAt > after.SubmittedAt || (c.SubmittedAt == after.SubmittedAt && c.Id.CompareTo(after.Id) > 0));
        }
        var items = await query.OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? Cursor.Format(items[take - 1].SubmittedAt, items[take - 1].Id) : null;
        return TypedResults.Ok(new CasePage(items.Take(take).Select(ToView).ToList(), next));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Get(Guid caseId, ClaimsPrincipal user, ReviewDbContext db, CancellationToken ct)
    {
        var reviewCase = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        return Scope(user, reviewCase) ?? (Results<Ok<CaseView>, ProblemHttpResult>)TypedResults.Ok(ToView(reviewCase!));
    }

    private static async Task<Results<Ok<IReadOnlyList<CaseEventView>>, ProblemHttpResult>> Timeline(Guid caseId, ClaimsPrincipal user, ReviewDbContext db, CancellationToken ct)
    {
        var reviewCase = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new CaseEventView(e.Kind, e.Actor, e.Detail, e.At)).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<CaseEventView>>(events);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Approve(
        Guid caseId, ClaimsPrincipal user, ReviewDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var reviewCase = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var siteLevel = user.IsInRole(Roles.SiteReviewer);
        var action = siteLevel ? ReviewAction.SiteApprove : ReviewAction.AreaApprove;
        var now = clock.GetUtcNow();
        if (!reviewCase!.TryApply(action, now))
        {
            return IllegalTransition(reviewCase, action);
        }
        var imageIds = ImageIds(reviewCase);
        if (siteLevel)
        {
            db.Publish(new LockMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, imageIds));
            db.Publish(new ApplicationSiteApproved(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, reviewCase.AreaCode, reviewCase.SiteCode));
        }
        else
        {
            db.Publish(new ApproveMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, []));
            db.Publish(new ApplicationApproved(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, reviewCase.AreaCode));
        }
        Record(db, reviewCase, siteLevel ? "site-approved" : "area-approved", user.Actor(), null, now);
        await db.CommitAsync(signal, ct);
        return TypedResults.Ok(ToView(reviewCase));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Return(
        Guid caseId, ReturnRequest request, ClaimsPrincipal user, ReviewDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Feedback) || request.Feedback.Length > 2000)
        {
            return Problems.Invalid("feedback", "is required (审核意见, at most 2000 characters)");
        }
        var reviewCase = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var imageIds = request.ImageIds ?? [];
        var unknown = imageIds.Except(ImageIds(reviewCase!)).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Unprocessable("unknown_images", $"Images not in this submission: {string.Join(", ", unknown)}");
        }
        var now = clock.GetUtcNow();
        if (!reviewCase!.TryApply(ReviewAction.Return, now))
        {
            return IllegalTransition(reviewCase, ReviewAction.Return);
        }
        var level = user.IsInRole(Roles.SiteReviewer) ? "site" : "area";
        reviewCase.Feedback = request.Feedback.Trim();
        reviewCase.RespondBy = now.AddHours(24); // the seeds' SMS asks for action within 24 hours
        db.Publish(new UnlockMaterials(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, imageIds, reviewCase.Feedback));
        db.Publish(new ApplicationReturned(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, reviewCase.AreaCode, level, reviewCase.Feedback, reviewCase.RespondBy.Value));
        Record(db, reviewCase, $"returned-{level}", user.Actor(), reviewCase.Feedback, now);
        await db.CommitAsync(signal, ct);
        return TypedResults.Ok(ToView(reviewCase));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Reject(
        Guid caseId, RejectRequest request, ClaimsPrincipal user, ReviewDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 2000)
        {
            return Problems.Invalid("reason", "is required (at most 2000 characters)");
        }
        var reviewCase = await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        if (!reviewCase!.TryApply(ReviewAction.Reject, now))
        {
            return IllegalTransition(reviewCase, ReviewAction.Reject);
        }
        reviewCase.Feedback = request.Reason.Trim();
        db.Publish(new ApplicationRejected(reviewCase.Id, reviewCase.ApplicationId, reviewCase.CandidateId, reviewCase.AreaCode, reviewCase.Feedback));
        Record(db, reviewCase, "rejected", user.Actor(), reviewCase.Feedback, now);
        await db.CommitAsync(signal, ct);
        return TypedResults.Ok(ToView(reviewCase));
    }

    internal static void Record(ReviewDbContext db, ReviewCase reviewCase, string kind, string actor, string? detail, DateTimeOffset at) =>
        db.CaseEvents.Add(new CaseEvent { Id = Guid.CreateVersion7(), CaseId = reviewCase.Id, Kind = kind, Actor = actor, Detail = detail, At = at });

    private static ProblemHttpResult? Scope(ClaimsPrincipal user, ReviewCase? reviewCase)
    {
        if (reviewCase is null)
        {
            return Problems.NotFound("case_not_found", "No such review case.");
        }
        var inScope = user.IsInRole(Roles.SiteReviewer)
            ? string.Equals(user.Site(), reviewCase.SiteCode, StringComparison.Ordinal)
            : string.Equals(user.Area(), reviewCase.AreaCode, StringComparison.Ordinal);
        return inScope ? null : Problems.Forbidden("out_of_scope", "This case belongs to another exam site or area.");
    }

    private static ProblemHttpResult IllegalTransition(ReviewCase reviewCase, ReviewAction action) =>
        Problems.Conflict("illegal_transition", $"A case in state {reviewCase.State} cannot take the action {action}.",
            new Dictionary<string, object?> { ["state"] = reviewCase.State.ToString(), ["action"] = action.ToString() });

    internal static IReadOnlyList<Guid> ImageIds(ReviewCase reviewCase) =>
        JsonSerializer.Deserialize<List<Guid>>(reviewCase.ImageIdsJson, Json) ?? [];

    private static CaseView ToView(ReviewCase c) => new(
        c.Id, c.ApplicationId, c.CandidateId, c.RegistrationNumber, c.AreaCode, c.SiteCode, c.State.ToString(), c.SubmissionNumber,
        ImageIds(c), c.Feedback, c.RespondBy, c.SubmittedAt, c.UpdatedAt);

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
                if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && Guid.TryParseExact(parts[1], "N", out var id) && ticks > 0)
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
