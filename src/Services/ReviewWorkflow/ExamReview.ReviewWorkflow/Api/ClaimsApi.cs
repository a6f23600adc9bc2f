using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ReviewWorkflow.Api;

/// <summary>
/// Claims: a reviewer takes a case under a lease, renews it while working, releases it when done. Everyone
/// sees who holds a case (<see cref="CaseView.Claim"/>); an expired lease holds nothing and the case is back
/// in the queue. Two reviewers claiming at once: the case's version token lets only one commit.
/// </summary>
public static class ClaimsApi
{
    public static void MapClaimsApi(this RouteGroupBuilder group)
    {
        group.MapPost("/{caseId:guid}/claim", Claim).WithName("claimReviewCase").WithSummary("认领案件（带租约；已持有时续期）")
            .WithDescription("Claims the case for the caller under a lease (renews it when the caller already holds it).").ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "not_reviewable", "claim_held");
        group.MapPost("/{caseId:guid}/claim/renew", Renew).WithName("renewReviewClaim").WithSummary("延长本人对案件的租约")
            .WithDescription("Extends the caller's lease; refused once it has expired or someone else holds the case.").ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "not_reviewable", "claim_not_held");
        group.MapDelete("/{caseId:guid}/claim", Release).WithName("releaseReviewClaim").WithSummary("放弃认领，案件回到队列")
            .WithDescription("Gives the case back to the queue.").ProducesProblemCodes(StatusCodes.Status404NotFound, "case_not_found").ProducesProblemCodes(StatusCodes.Status403Forbidden, "out_of_scope").ProducesProblemCodes(StatusCodes.Status409Conflict, "claim_not_held");
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Claim([AsParameters] CaseCall call, CancellationToken ct)
    {
        var (caseId, user, db, clock, options) = call;
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        var decided = reviewCase!.TakeClaim(CaseAccess.LevelOf(user), user.Actor(), now, options.Value.Claims.Lease);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Renew([AsParameters] CaseCall call, CancellationToken ct)
    {
        var (caseId, user, db, clock, options) = call;
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        var decided = reviewCase!.RenewClaim(CaseAccess.LevelOf(user), user.Actor(), now, options.Value.Claims.Lease);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Release(
        Guid caseId, ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        if (CaseAccess.Scope(user, reviewCase) is { } refusal)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        var decided = reviewCase!.GiveBackClaim(user.Actor(), now);
        return await CaseAccess.CommitAsync(new CaseDecision(db, reviewCase, images, user.Actor(), now), decided, ct);
    }
}
