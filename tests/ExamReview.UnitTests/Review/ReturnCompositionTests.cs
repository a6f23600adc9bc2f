using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

/// <summary>What a return sends back (and its preview shows), and the stage a case is counted under.</summary>
public sealed class ReturnCompositionTests
{
    private static readonly Guid CaseId = Guid.NewGuid();

    private static ImageReview Row(ImageDecision decision, string? reason = null, string? note = null, bool current = true) => new()
    {
        Id = Guid.NewGuid(), CaseId = CaseId, ImageId = Guid.NewGuid(), MaterialType = "id-card", SubmissionNumber = 1,
        Decision = decision, ReasonCode = reason, Note = note, Current = current,
    };

    [Fact]
    public void Marked_images_go_back_with_their_reason_and_named_ones_as_other_never_an_approved_or_old_one()
    {
        var marked = Row(ImageDecision.ReplacementRequested, "unclear", "反光");
        var named = Row(ImageDecision.Pending, note: "旧说明");
        var approved = Row(ImageDecision.Approved);
        var old = Row(ImageDecision.ReplacementRequested, "expired", current: false);
        var untouched = Row(ImageDecision.Pending);

        var back = ReturnComposition.ImagesToReplace([marked, named, approved, old, untouched], [named.ImageId, approved.ImageId], ImageChecks.None);

        Assert.Equal([marked.ImageId, named.ImageId], back.Select(i => i.ImageId));
        Assert.Same(marked, back[0]);
        Assert.Equal(ReturnComposition.NamedReason, back[1].ReasonCode);
        Assert.Equal("旧说明", back[1].Note);
        // The preview must not change the row it reads.
        Assert.Equal(ImageDecision.Pending, named.Decision);
        Assert.Null(named.ReasonCode);
        Assert.Equal("有效身份证明图片：图片不清晰（反光）\n有效身份证明图片：其他（旧说明）",
            ImageDecisionRules.ComposeFeedback(null, back, _ => "有效身份证明"));
    }

    [Theory]
    [InlineData(CaseState.SiteReview, false, false, ReviewStages.Submitted)]
    [InlineData(CaseState.SiteReview, false, true, ReviewStages.Resubmitted)]
    [InlineData(CaseState.SiteReview, true, true, ReviewStages.UnderSiteReview)]
    [InlineData(CaseState.AreaReview, false, false, ReviewStages.SiteApproved)]
    [InlineData(CaseState.AreaReview, true, false, ReviewStages.UnderAreaReview)]
    [InlineData(CaseState.Returned, true, false, ReviewStages.Returned)]
    [InlineData(CaseState.Approved, false, true, ReviewStages.Approved)]
    [InlineData(CaseState.Rejected, false, false, ReviewStages.Rejected)]
    public void The_stage_follows_state_claim_and_resubmission(CaseState state, bool claimed, bool resubmission, string stage)
    {
        Assert.Equal(stage, ReviewStages.Of(state, claimed, resubmission));
        Assert.Contains(stage, ReviewStages.All);
    }

    [Fact]
    public void A_case_is_counted_under_the_stage_its_view_shows()
    {
        var now = DateTimeOffset.UtcNow;
        var reviewCase = new ReviewCase
        {
            RegistrationNumber = "2027430100001", AreaCode = "43", SiteCode = "4301", ImageIdsJson = "[]",
            State = CaseState.SiteReview, SubmissionNumber = 2, ClaimedBy = "site-a", ClaimExpiresAt = now.AddMinutes(-1),
        };
        Assert.Equal(ReviewStages.Resubmitted, ReviewStages.Of(reviewCase, now));
        reviewCase.ClaimExpiresAt = now.AddMinutes(5);
        Assert.Equal(ReviewStages.UnderSiteReview, ReviewStages.Of(reviewCase, now));
    }
}
