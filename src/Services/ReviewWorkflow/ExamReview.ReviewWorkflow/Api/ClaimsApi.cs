using System.Security.Claims;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Messaging;
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
        var refusal = CaseAccess.Scope(user, reviewCase) ?? CaseAccess.AwaitsLevel(user, reviewCase!);
        if (refusal is not null)
        {
            return refusal;
        }
        var now = clock.GetUtcNow();
        var actor = user.Actor();
        if (reviewCase!.HasActiveClaim(now) && !reviewCase.IsHeldBy(actor, now))
        {
            return CaseAccess.ClaimHeld(reviewCase);
        }
        var renewal = reviewCase.IsHeldBy(actor, now);
        reviewCase.Claim(actor, now, options.Value.Claims.Lease);
        Timeline.Record(db, reviewCase, renewal ? CaseEventKinds.ClaimRenewed : CaseEventKinds.Claimed, actor, TimelineText.ClaimedUntil(reviewCase.ClaimExpiresAt!.Value), now);
        await db.CommitAsync(ct);
        return TypedResults.Ok(await ReviewViews.WithLocksAsync(db, ReviewViews.ToView(reviewCase, now, images), ct));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Renew([AsParameters] CaseCall call, CancellationToken ct)
    {
        var (caseId, user, db, clock, options) = call;
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        var now = clock.GetUtcNow();
        var refusal = CaseAccess.Scope(user, reviewCase) ?? CaseAccess.AwaitsLevel(user, reviewCase!) ?? CaseAccess.HeldBy(user, reviewCase!, now);
        if (refusal is not null)
        {
            return refusal;
        }
        reviewCase!.Claim(user.Actor(), now, options.Value.Claims.Lease);
        Timeline.Record(db, reviewCase, CaseEventKinds.ClaimRenewed, user.Actor(), TimelineText.ClaimedUntil(reviewCase.ClaimExpiresAt!.Value), now);
        await db.CommitAsync(ct);
        return TypedResults.Ok(await ReviewViews.WithLocksAsync(db, ReviewViews.ToView(reviewCase, now, images), ct));
    }

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Release(
        Guid caseId, ClaimsPrincipal user, ReviewDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (reviewCase, images) = await CaseAccess.LoadAsync(db, caseId, ct);
        var now = clock.GetUtcNow();
        var refusal = CaseAccess.Scope(user, reviewCase) ?? CaseAccess.HeldBy(user, reviewCase!, now);
        if (refusal is not null)
        {
            return refusal;
        }
        reviewCase!.ReleaseClaim(now);
        Timeline.Record(db, reviewCase, CaseEventKinds.ClaimReleased, user.Actor(), null, now);
        await db.CommitAsync(ct);
        return TypedResults.Ok(await ReviewViews.WithLocksAsync(db, ReviewViews.ToView(reviewCase, now, images), ct));
    }
}
