using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>What a round may release: only a result the case still stands at, so the candidate never sees a status that will change.</summary>
public static class PublicationRules
{
    /// <summary>
    /// The held result is still the case's word: a site approval while the case waits for the area (no area decision,
    /// no return since), an area decision while the case is still approved or rejected by that same decision.
    /// </summary>
    public static bool IsCurrent(HeldResult held, ReviewCase reviewCase) => held.Result switch
    {
        ResultKinds.SiteApproved => reviewCase.State == CaseState.AreaReview && reviewCase.SiteApprovedAt == held.DecidedAt
            && reviewCase.SubmissionNumber == held.SubmissionNumber,
        ResultKinds.Approved => reviewCase.State == CaseState.Approved && reviewCase.DecidedAt == held.DecidedAt,
        ResultKinds.Rejected => reviewCase.State == CaseState.Rejected && reviewCase.DecidedAt == held.DecidedAt,
        _ => false,
    };

    /// <summary>
    /// Splits a closing round's held results into those to publish and those to withdraw (the case moved on, or is gone).
    /// A case appears at most once among the published: if several of its results are held, only its current one can be.
    /// </summary>
    public static (IReadOnlyList<HeldResult> Publish, IReadOnlyList<HeldResult> Withdraw) Partition(
        IEnumerable<HeldResult> pending, IReadOnlyDictionary<Guid, ReviewCase> cases)
    {
        var publish = new List<HeldResult>();
        var withdraw = new List<HeldResult>();
        var seen = new HashSet<Guid>();
        foreach (var held in pending.OrderByDescending(h => h.DecidedAt))
        {
            if (cases.TryGetValue(held.CaseId, out var reviewCase) && IsCurrent(held, reviewCase) && seen.Add(held.CaseId))
            {
                publish.Add(held);
            }
            else
            {
                withdraw.Add(held);
            }
        }
        return (publish, withdraw);
    }
}
