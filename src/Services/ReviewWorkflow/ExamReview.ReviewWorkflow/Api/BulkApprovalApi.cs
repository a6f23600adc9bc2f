using System.Security.Claims;
using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
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

    public sealed record BulkApproveCall(
        BulkApproveRequest Request,
        ClaimsPrincipal User,
        HttpRequest Http,
        ReviewDbContext Db,
        TimeProvider Clock);

    public static async Task<Results<Ok<BulkApproveResponse>, ProblemHttpResult>> BulkApprove([AsParameters] BulkApproveCall call, CancellationToken ct)
    {
        var (request, user, http, db, clock) = call;
        var caseIds = request.CaseIds?.Distinct().ToList() ?? [];
        if (caseIds.Count is 0 or > MaxBulkApprove)
        {
            return Problems.Invalid("caseIds", $"应列出 1 到 {MaxBulkApprove} 个案件。", $"must list between 1 and {MaxBulkApprove} cases");
        }
        var actor = user.Actor();
        var level = CaseAccess.LevelOf(user);
        var results = new List<BulkApproveOutcome>();
        var english = ProblemLocalisation.PrefersEnglish(http);
        foreach (var caseId in caseIds)
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
            // Out of scope answers exactly as missing (issue 15 item 3), per item too.
            if (reviewCase is null || !CaseAccess.InScope(user, reviewCase))
            {
                results.Add(Refused(caseId, CaseRefusals.NotFound(), english));
                continue;
            }
            var checks = await CaseAccess.ChecksAsync(db, images, ct);
            // The look is asked about only for a case that otherwise qualifies: a query per case refused anyway is waste.
            var lookedAt = level == ReviewLevel.Site || reviewCase.RefuseBulkApproval(images, checks, level, actor, now) is not null
                || await CaseAccess.LookedAtAsync(db, reviewCase, actor, now, ct);
            // Each case's refusal is the same the single approval gives, in the client's language.
            var decided = reviewCase.ApproveInBulk(images, checks, level, actor, now, lookedAt);
            if (decided.Refusal is { } refusal)
            {
                results.Add(Refused(caseId, refusal, english));
                continue;
            }
            ResultRelease.Record(db, reviewCase, decided, actor, now);
            try
            {
                await db.CommitAsync(ct);
                results.Add(new BulkApproveOutcome(caseId, true, null, null));
            }
            catch (DbUpdateConcurrencyException)
            {
                results.Add(new BulkApproveOutcome(caseId, false, "concurrent_change",
                    english ? "The case changed at the same time; reload it and try again." : "该案件同时被其他操作修改，请刷新后重试。"));
            }
        }
        return TypedResults.Ok(new BulkApproveResponse(results.Count(r => r.Approved), results.Count(r => !r.Approved), results));
    }

    private static BulkApproveOutcome Refused(Guid caseId, CaseRefusal refusal, bool english) =>
        new(caseId, false, refusal.Code, english ? refusal.DetailEn : refusal.DetailZh);
}
