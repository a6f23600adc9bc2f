namespace ExamReview.ReviewWorkflow.Domain;

public enum CaseState
{
    SiteReview = 0,
    Returned = 1,
    AreaReview = 2,
    Approved = 3,
    Rejected = 4,
}

public enum ReviewAction
{
    Resubmit,
    SiteApprove,
    AreaApprove,
    Return,
    Reject,
}

/// <summary>
/// The two-level review (考点 then 考区复审) as a transition table: anything not listed is illegal.
/// </summary>
public static class ReviewStateMachine
{
    public static CaseState? Next(CaseState from, ReviewAction action) => (from, action) switch
    {
        (CaseState.SiteReview, ReviewAction.SiteApprove) => CaseState.AreaReview,
        (CaseState.SiteReview, ReviewAction.Return) => CaseState.Returned,
        (CaseState.Returned, ReviewAction.Resubmit) => CaseState.SiteReview,
        (CaseState.AreaReview, ReviewAction.AreaApprove) => CaseState.Approved,
        (CaseState.AreaReview, ReviewAction.Return) => CaseState.Returned,
        (CaseState.AreaReview, ReviewAction.Reject) => CaseState.Rejected,
        _ => null,
    };

    public static bool IsFinal(CaseState state) => state is CaseState.Approved or CaseState.Rejected;
}

/// <summary>A review case per submitted application; its timeline is append-only.</summary>
public sealed class ReviewCase
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid CandidateId { get; set; }
    public required string RegistrationNumber { get; set; }
    public required string AreaCode { get; set; }
    public required string SiteCode { get; set; }
    public CaseState State { get; set; }
    public int SubmissionNumber { get; set; }
    public required string ImageIdsJson { get; set; }
    public string? Feedback { get; set; }
    public DateTimeOffset? RespondBy { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    /// <summary>Moves the case along the state machine or says why it cannot.</summary>
    public bool TryApply(ReviewAction action, DateTimeOffset at)
    {
        if (ReviewStateMachine.Next(State, action) is not { } next)
        {
            return false;
        }
        State = next;
        UpdatedAt = at;
        Version++;
        return true;
    }
}

public sealed class CaseEvent
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public required string Kind { get; set; }
    public required string Actor { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset At { get; set; }
}
