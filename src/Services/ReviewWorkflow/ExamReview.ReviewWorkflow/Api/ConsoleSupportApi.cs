using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>How many of the caller's cases are at each stage (the reviewer console's tabs).</summary>
public sealed record StageCount(string Stage, int Count);

public sealed record StageCounts(IReadOnlyList<StageCount> Stages, int Overdue, int Escalated);

/// <summary>One image a return would send back, as the candidate will read it.</summary>
public sealed record ReturnPreviewImage(Guid ImageId, string? MaterialName, string? ReasonCode, string? Reason, string? Note);

/// <summary>
/// What <c>POST /cases/{id}/return</c> would send, without sending it: the feedback the candidate reads (审核意见, composed
/// exactly as the return composes it), the response deadline, the images to replace and the area whose SMS template
/// applies (the SMS text itself is Notification's: <c>GET /api/v1/notifications/sms/preview</c>).
/// </summary>
public sealed record ReturnPreview(string Feedback, DateTimeOffset RespondBy, string AreaCode, string Level, bool RegistrationData,
    IReadOnlyList<ReturnPreviewImage> ImagesToReplace);

/// <summary>What the reviewer console needs beside the queue itself: counts per stage and a return's preview.</summary>
public static class ConsoleSupportApi
{
    public static void MapConsoleSupportApi(this RouteGroupBuilder group)
    {
        group.MapGet("/stage-counts", Counts).WithName("countReviewCasesByStage").WithSummary("本人范围内各阶段的案件数（含逾期、已升级）")
            .WithDescription("How many of the caller's cases (their site or area) are at each stage, and how many are overdue or escalated.");
        group.MapPost("/{caseId:guid}/return/preview", Preview).WithName("previewReturn").WithSummary("退回前预览：考生将看到的审核意见和修改期限（不发送）")
            .WithDescription("What a return would send, without sending it: the candidate-facing feedback, the response deadline and the images to replace.")
            .ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope")
            .ProducesProblemCodes(StatusCodes.Status409Conflict, "illegal_transition", "not_reviewable", "claim_not_held", "image_approved", "return_nothing_to_change")
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, "unknown_images", "data_return_with_images", "feedback_too_long");
    }

    private static async Task<Ok<StageCounts>> Counts(ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IQueryable<ReviewCase> query = db.Cases.AsNoTracking();
        query = CaseAccess.LevelOf(user) == ReviewLevel.Site
            ? query.Where(c => c.SiteCode == user.Site())
            : query.Where(c => c.AreaCode == user.Area());
        // Grouped by the columns the stage derives from, so the database returns a handful of rows however many cases there are.
        var groups = await query
            .GroupBy(c => new { c.State, Claimed = c.ClaimedBy != null && c.ClaimExpiresAt > now, Resubmission = c.SubmissionNumber > 1 })
            .Select(g => new { g.Key.State, g.Key.Claimed, g.Key.Resubmission, Count = g.Count() })
            .ToListAsync(ct);
        var byStage = groups
            .GroupBy(g => ReviewStages.Of(g.State, g.Claimed, g.Resubmission))
            .ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var stages = ReviewStages.All.Select(s => new StageCount(s, byStage.GetValueOrDefault(s))).ToList();
        var overdue = await query.CountAsync(c => c.State == CaseState.Returned && c.RespondBy <= now, ct);
        var escalated = await query.CountAsync(c => c.EscalatedAt != null, ct);
        return TypedResults.Ok(new StageCounts(stages, overdue, escalated));
    }

    private static async Task<Results<Ok<ReturnPreview>, ProblemHttpResult>> Preview([AsParameters] ReturnCall call, CancellationToken ct)
    {
        var (request, user, db) = (call.Request, call.User, call.Db);
        if (request.Feedback is { Length: > 2000 })
        {
            return Problems.Invalid("feedback", "审核意见最多 2000 个字符。", "must be at most 2000 characters (审核意见)");
        }
        var now = call.Clock.GetUtcNow();
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, call.CaseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        // The same checks and composition as the return itself (ReviewCase.PlanReturn), so the preview is what goes out.
        var dataProblem = request.RegistrationData == true;
        var checks = await CaseAccess.ChecksAsync(db, images, ct);
        var names = await DecisionsApi.MaterialNamesAsync(db, images, ct);
        var plan = reviewCase!.PlanReturn(new ReviewerReturn(request.Feedback, request.ImageIds ?? [], dataProblem, request.Supplement == true), images, checks,
            CaseAccess.LevelOf(user), user.Actor(), now, names);
        if (plan.Refusal is { } refused)
        {
            return refused.ToProblem();
        }
        var (toReplace, feedback) = (plan.ToReplace, plan.Feedback);
        var respondBy = now + call.Options.Value.Deadlines.For(reviewCase.AreaCode).ResponseWindow;
        var level = reviewCase.State == CaseState.SiteReview ? "site" : "area";
        return TypedResults.Ok(new ReturnPreview(feedback, respondBy, reviewCase.AreaCode, level, dataProblem,
            toReplace.Select(i => new ReturnPreviewImage(i.ImageId, names.GetValueOrDefault(i.ImageId),
                i.ReasonCode, ReplacementReasons.Describe(i.ReasonCode)?.NameZh, i.Note)).ToList()));
    }
}
