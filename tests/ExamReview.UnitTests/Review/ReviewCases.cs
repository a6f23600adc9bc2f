using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The review cases and image rows the ReviewWorkflow domain tests start from: registration 2027430100001 at site 4301 of
/// area 43, opened, submitted and last updated at <see cref="T0"/>, holding no image. One place to build them, so a field
/// the case gains is set once and each test states only what it varies (state, holder, submission).
/// </summary>
internal static class ReviewCases
{
    /// <summary>The site reviewer <see cref="HeldCase"/> claims the case for unless told otherwise.</summary>
    public const string Reviewer = "site-reviewer-1";

    /// <summary>When the cases open (and are claimed): 2027-03-01 08:00 UTC, 16:00 in Beijing.</summary>
    public static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The claim <see cref="HeldCase"/> takes lasts this long from <see cref="T0"/>.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    /// <summary>
    /// A case nobody holds, at version 0, in <paramref name="state"/> on submission <paramref name="submission"/>, opened at
    /// <paramref name="at"/> (<see cref="T0"/> when not given) in <paramref name="area"/> at its site "01". Its id is a
    /// version-7 id, so cases stored one after another sort in that order.
    /// </summary>
    public static ReviewCase NewCase(CaseState state = CaseState.SiteReview, int submission = 1, DateTimeOffset? at = null, string area = "43")
    {
        var opened = at ?? T0;
        return new ReviewCase
        {
            Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001",
            AreaCode = area, SiteCode = area + "01", ImageIdsJson = "[]", State = state, SubmissionNumber = submission,
            SubmittedAt = opened, OpenedAt = opened, UpdatedAt = opened,
        };
    }

    /// <summary>
    /// <see cref="NewCase"/> claimed by <paramref name="holder"/> at <see cref="T0"/> for <see cref="Lease"/> (version 1):
    /// the holder may decide on it until T0 + 30 minutes, at the level its <paramref name="state"/> awaits.
    /// </summary>
    public static ReviewCase HeldCase(CaseState state = CaseState.SiteReview, string holder = Reviewer, int submission = 1)
    {
        var c = NewCase(state, submission);
        c.Claim(holder, T0, Lease);
        return c;
    }

    /// <summary>
    /// An image row of the case's current submission (unless <paramref name="current"/> is false), undecided unless
    /// <paramref name="decision"/> says otherwise, with a fresh image id unless <paramref name="imageId"/> is given.
    /// </summary>
    public static ImageReview Image(ImageDecision decision = ImageDecision.Pending, string? reason = null, string? note = null, bool current = true,
        Guid? imageId = null) =>
        new() { Id = Guid.NewGuid(), ImageId = imageId ?? Guid.NewGuid(), Decision = decision, ReasonCode = reason, Note = note, Current = current };

    /// <summary>The automatic checks' verdicts for these images; any other image has no verdict known, which the case reads as pending.</summary>
    public static ImageChecks Checks(params (ImageReview Image, ImageCheck Check)[] checks) =>
        new(checks.ToDictionary(c => c.Image.ImageId, c => c.Check));
}
