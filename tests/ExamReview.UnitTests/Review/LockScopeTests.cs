using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Every lock the review sends names its images (<see cref="LockMaterials.ImagesNamed"/>): the images the case holds, and
/// none for a case that holds none. MaterialStorage reads an unnamed empty list (an older sender) as every image.
/// </summary>
public sealed class LockScopeTests
{
    private const string Reviewer = "site-reviewer-1";
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly MissingMaterialsOverride Overridden = new(true, "考生已到考点现场核验原件");

    private static ReviewCase HeldCase(CaseState state, params ImageReview[] images)
    {
        var c = new ReviewCase
        {
            Id = Guid.NewGuid(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
            SiteCode = "4301", ImageIdsJson = CaseImageIds.ToJson(images.Where(i => i.Current).Select(i => i.ImageId).ToList()), State = state,
            SubmissionNumber = 1, SubmittedAt = T0, OpenedAt = T0, UpdatedAt = T0, MissingMaterialsJson = """["有效身份证明"]""",
        };
        c.Claim(Reviewer, T0, TimeSpan.FromMinutes(30));
        return c;
    }

    private static ImageReview Row(ImageDecision decision, bool current = true) =>
        new() { Id = Guid.NewGuid(), ImageId = Guid.NewGuid(), Decision = decision, Current = current };

    private static ImageChecks Passed(params ImageReview[] images) => new(images.ToDictionary(i => i.ImageId, _ => ImageCheck.Passed));

    [Fact]
    public void A_site_approval_of_a_case_holding_no_image_locks_none_by_name()
    {
        var withdrawn = Row(ImageDecision.Pending, current: false); // deleted by the candidate before the review
        var c = HeldCase(CaseState.SiteReview, withdrawn);

        var result = c.Approve([withdrawn], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(1), Overridden);

        Assert.Null(result.Refusal);
        var locking = Assert.Single(result.Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, false), (locking.ImageIds.Count, locking.ImagesNamed, locking.Final));
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.MessageSent && e.Detail == "LockMaterials：0 张图片");
    }

    [Fact]
    public void A_site_approval_names_exactly_the_images_the_case_holds()
    {
        var held = Row(ImageDecision.Approved);
        var replaced = Row(ImageDecision.ReplacementRequested, current: false);
        var c = HeldCase(CaseState.SiteReview, held, replaced);

        var locking = Assert.Single(c.Approve([held, replaced], Passed(held), ReviewLevel.Site, Reviewer, T0.AddMinutes(1), Overridden)
            .Messages.OfType<LockMaterials>());

        Assert.Equal([held.ImageId], locking.ImageIds);
        Assert.True(locking.ImagesNamed);
    }

    [Fact]
    public void Final_locks_name_their_images_too_also_when_there_are_none()
    {
        var approval = HeldCase(CaseState.AreaReview);
        var approved = Assert.Single(approval.Approve([], ImageChecks.None, ReviewLevel.Area, Reviewer, T0.AddMinutes(1), Overridden).Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, true), (approved.ImageIds.Count, approved.ImagesNamed, approved.Final));

        var rejection = HeldCase(CaseState.AreaReview);
        var rejected = Assert.Single(rejection.Reject("学历不符", Reviewer, T0.AddMinutes(1)).Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, true), (rejected.ImageIds.Count, rejected.ImagesNamed, rejected.Final));
    }
}
