using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>
/// Approves several fully reviewed cases at once, each decided and reported on its own. At area level only cases the
/// reviewer claimed or opened in its current round qualify: every decision needs a human look.
/// </summary>
public static class BulkApprovalApi
{
    public const int MaxBulkApprove = 100;

    public static async Task<Results<Ok<BulkApproveResponse>, ProblemHttpResult>> BulkApprove(
        BulkApproveRequest request, ClaimsPrincipal user, ReviewDbContext db, OutboxSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var caseIds = request.CaseIds?.Distinct().ToList() ?? [];
        if (caseIds.Count is 0 or > MaxBulkApprove)
        {
            return Problems.Invalid("caseIds", $"must list between 1 and {MaxBulkApprove} cases");
        }
        var actor = user.Actor();
        var action = CaseAccess.LevelOf(user) == ReviewLevel.Site ? ReviewAction.SiteApprove : ReviewAction.AreaApprove;
        var results = new List<BulkApproveOutcome>();
        foreach (var caseId in caseIds)
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
            string? code = null;
            string? detail = null;
            if (CaseAccess.Scope(user, reviewCase) is { } refusal)
            {
                code = refusal.ProblemDetails.Extensions["code"] as string;
                detail = refusal.ProblemDetails.Detail;
            }
            else if (ReviewStateMachine.Next(reviewCase!.State, action) is null)
            {
                (code, detail) = ("illegal_transition", $"A case in state {reviewCase.State} cannot take the action {action}.");
            }
            else if (reviewCase.HasActiveClaim(now) && !reviewCase.IsHeldBy(actor, now))
            {
                (code, detail) = ("claim_held", $"The case is held by {reviewCase.ClaimedBy}.");
            }
            else if (ImageDecisionRules.Blocking(images) is { Count: > 0 } blocking)
            {
                (code, detail) = ("images_not_reviewed", $"{blocking.Count} image(s) are unreviewed or awaiting replacement.");
            }
            else if (reviewCase.MissingMaterials() is { Count: > 0 } missing)
            {
                (code, detail) = ("materials_missing", $"必传材料缺失：{string.Join("、", missing)}");
            }
            else if (action == ReviewAction.AreaApprove && !await CaseAccess.LookedAtAsync(db, reviewCase, actor, now, ct))
            {
                // Every decision needs a human look: at area level only cases this reviewer claimed in this round.
                (code, detail) = ("not_looked_at", "审核通过前请先认领或打开该案件查看。");
            }
            if (code is not null)
            {
                results.Add(new BulkApproveOutcome(caseId, false, code, detail));
                continue;
            }
            CaseDecisions.ApproveApplication(db, reviewCase!, images, actor, now);
            try
            {
                await db.CommitAsync(signal, ct);
                results.Add(new BulkApproveOutcome(caseId, true, null, null));
            }
            catch (DbUpdateConcurrencyException)
            {
                results.Add(new BulkApproveOutcome(caseId, false, "concurrent_change", "The case changed at the same time; reload it and try again."));
            }
        }
        return TypedResults.Ok(new BulkApproveResponse(results.Count(r => r.Approved), results.Count(r => !r.Approved), results));
    }
}
