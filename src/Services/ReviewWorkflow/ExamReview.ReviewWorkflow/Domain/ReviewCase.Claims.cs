namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>
/// A reviewer's claim on a case: a lease, so a case nobody decides returns to the queue by itself. Only a case awaiting
/// the reviewer's level can be claimed, and only by one reviewer at a time.
/// </summary>
public sealed partial class ReviewCase
{
    /// <summary>Claims the case for <paramref name="actor"/>, or renews the lease they hold.</summary>
    public DecisionResult TakeClaim(ReviewLevel level, string actor, DateTimeOffset now, TimeSpan lease)
    {
        var refusal = this.RefuseUnlessReviewableAt(level) ?? (HasActiveClaim(now) && !IsHeldBy(actor, now) ? CaseRefusals.ClaimHeld(this) : null);
        if (refusal is not null)
        {
            return DecisionResult.Refused(refusal);
        }
        var kind = IsHeldBy(actor, now) ? CaseEventKinds.ClaimRenewed : CaseEventKinds.Claimed;
        Claim(actor, now, lease);
        return new DecisionResult(null, [new TimelineEntry(kind, TimelineText.ClaimedUntil(ClaimExpiresAt!.Value))], []);
    }

    /// <summary>Extends the lease <paramref name="actor"/> holds; an expired lease is gone and must be claimed again.</summary>
    public DecisionResult RenewClaim(ReviewLevel level, string actor, DateTimeOffset now, TimeSpan lease)
    {
        if ((this.RefuseUnlessReviewableAt(level) ?? this.RefuseUnlessHeldBy(actor, now)) is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        Claim(actor, now, lease);
        return new DecisionResult(null, [new TimelineEntry(CaseEventKinds.ClaimRenewed, TimelineText.ClaimedUntil(ClaimExpiresAt!.Value))], []);
    }

    /// <summary>The holder gives the case back to the queue.</summary>
    public DecisionResult GiveBackClaim(string actor, DateTimeOffset now)
    {
        if (this.RefuseUnlessHeldBy(actor, now) is { } refusal)
        {
            return DecisionResult.Refused(refusal);
        }
        ReleaseClaim(now);
        return new DecisionResult(null, [new TimelineEntry(CaseEventKinds.ClaimReleased, null)], []);
    }
}
