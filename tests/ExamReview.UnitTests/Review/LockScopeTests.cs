using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Every lock the review sends names its images (<see cref="LockMaterials.ImagesNamed"/>): the images the case holds, and
/// none for a case that holds none. MaterialStorage reads an unnamed empty list (an older sender) as every image.
/// </summary>
public sealed class LockScopeTests
{
    private static readonly MissingMaterialsOverride Overridden = new(true, "考生已到考点现场核验原件");

    /// <summary>A held case holding the current ones of <paramref name="images"/>, its ID card missing (hence <see cref="Overridden"/>).</summary>
    private static ReviewCase HeldCaseHolding(CaseState state, params ImageReview[] images)
    {
        var c = HeldCase(state);
        c.ImageIdsJson = CaseImageIds.ToJson(images.Where(i => i.Current).Select(i => i.ImageId).ToList());
        c.MissingMaterialsJson = """["有效身份证明"]""";
        return c;
    }

    private static ImageChecks Passed(params ImageReview[] images) => new(images.ToDictionary(i => i.ImageId, _ => ImageCheck.Passed));

    [Fact]
    public void A_site_approval_of_a_case_holding_no_image_locks_none_by_name()
    {
        var withdrawn = Image(ImageDecision.Pending, current: false); // deleted by the candidate before the review
        var c = HeldCaseHolding(CaseState.SiteReview, withdrawn);

        var result = c.Approve([withdrawn], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(1), Overridden);

        Assert.Null(result.Refusal);
        var locking = Assert.Single(result.Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, false), (locking.ImageIds.Count, locking.ImagesNamed, locking.Final));
        Assert.Contains(result.Timeline, e => e.Kind == CaseEventKinds.MessageSent && e.Detail == "LockMaterials：0 张图片");
    }

    [Fact]
    public void A_site_approval_names_exactly_the_images_the_case_holds()
    {
        var held = Image(ImageDecision.Approved);
        var replaced = Image(ImageDecision.ReplacementRequested, current: false);
        var c = HeldCaseHolding(CaseState.SiteReview, held, replaced);

        var locking = Assert.Single(c.Approve([held, replaced], Passed(held), ReviewLevel.Site, Reviewer, T0.AddMinutes(1), Overridden)
            .Messages.OfType<LockMaterials>());

        Assert.Equal([held.ImageId], locking.ImageIds);
        Assert.True(locking.ImagesNamed);
    }

    [Fact]
    public void Final_locks_name_their_images_too_also_when_there_are_none()
    {
        var approval = HeldCaseHolding(CaseState.AreaReview);
        var approved = Assert.Single(approval.Approve([], ImageChecks.None, ReviewLevel.Area, Reviewer, T0.AddMinutes(1), Overridden).Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, true), (approved.ImageIds.Count, approved.ImagesNamed, approved.Final));

        var rejection = HeldCaseHolding(CaseState.AreaReview);
        var rejected = Assert.Single(rejection.Reject("学历不符", Reviewer, T0.AddMinutes(1)).Messages.OfType<LockMaterials>());
        Assert.Equal((0, true, true), (rejected.ImageIds.Count, rejected.ImagesNamed, rejected.Final));
    }
}
