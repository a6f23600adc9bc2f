using ExamReview.Contracts;

namespace ExamReview.Registration.Domain;

public sealed partial class CandidateRegistration
{
    /// <summary>
    /// A result the review decided that the area holds until its round closes (ApplicationResultHeld), while it is ahead
    /// of <see cref="Status"/>: the candidate does not see it, but <see cref="RefuseCandidateChange"/> follows it. Null
    /// when nothing is held, or once the status has caught up with it (the round published it, or a later outcome — a
    /// return, a resubmission — overtook it).
    /// </summary>
    public CandidateStatus? HeldStatus { get; set; }

    /// <summary>
    /// The held result's position (<see cref="ReviewPosition"/>), which its released result event carries too; 0 and 0
    /// while nothing is held (no result stands there: submissions count from 1). Never null, as concurrency tokens are not.
    /// </summary>
    public int HeldStatusSubmission { get; set; }
    public int HeldStatusCaseVersion { get; set; }

    /// <summary>
    /// Where the review really stands: the held result while it is ahead of what the candidate sees, else that status.
    /// Never shown to the candidate or a province; only the rules that must follow the review itself read it.
    /// </summary>
    public CandidateStatus ReviewState => HeldStatus ?? Status;

    /// <summary>
    /// Takes a held result unless the status or an earlier held result already stands at or after its position (a late or
    /// repeated delivery). Changes neither <see cref="Status"/> nor anything the candidate or a province reads — not
    /// <see cref="Version"/> (the provinces' ETag), not <see cref="UpdatedAt"/>: a held result must leave no trace there
    /// before the round publishes it. Races with the candidate's own change are settled by the held position's columns
    /// being concurrency tokens instead (<c>CandidateRegistrationConfiguration</c>).
    /// </summary>
    public bool ApplyHeldResult(string result, ReviewPosition position)
    {
        var status = HeldResultStatus(result);
        if (ReviewPosition.Of(LastStatusSubmission, LastStatusCaseVersion) is { } shown && !position.Follows(shown))
        {
            return false;
        }
        if (HeldPosition is { } held && !position.Follows(held))
        {
            return false;
        }
        HeldStatus = status;
        HeldStatusSubmission = position.SubmissionNumber;
        HeldStatusCaseVersion = position.CaseVersion;
        return true;
    }

    /// <summary>The status a held result stands for; a name the contract does not list is a sender's error, not a state.</summary>
    public static CandidateStatus HeldResultStatus(string result) => result switch
    {
        ResultNames.SiteApproved => CandidateStatus.SiteApproved,
        ResultNames.Approved => CandidateStatus.Approved,
        ResultNames.Rejected => CandidateStatus.Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, "Not a result ApplicationResultHeld names."),
    };

    // A status applied at or after the held result's position says where the review stands now: the release of that very
    // result, or an outcome that overtook it. One without a position (an older sender) is the latest word as well.
    private void ForgetHeldResultReachedBy(ReviewPosition? applied)
    {
        if (HeldPosition is { } held && (applied is null || !held.Follows(applied)))
        {
            HeldStatus = null;
            HeldStatusSubmission = 0;
            HeldStatusCaseVersion = 0;
        }
    }

    private ReviewPosition? HeldPosition => HeldStatus is null ? null : new ReviewPosition(HeldStatusSubmission, HeldStatusCaseVersion);
}
