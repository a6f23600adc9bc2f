using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>The review's refusals are decided on the case and carry their Chinese text (first) and English text with a stable code.</summary>
public sealed class CaseRefusalTests
{
    private static void AssertChineseFirst(CaseRefusal refusal, string code)
    {
        Assert.Equal(code, refusal.Code);
        Assert.Matches("[\u4e00-\u9fff]", refusal.DetailZh);
        Assert.DoesNotMatch("[\u4e00-\u9fff]", refusal.DetailEn);
    }

    [Fact]
    public void An_action_the_state_does_not_allow_is_refused_naming_state_and_action_in_chinese()
    {
        var refusal = NewCase(CaseState.Approved).RefuseUnlessAllowed(ReviewAction.Return);

        AssertChineseFirst(refusal!, "illegal_transition");
        Assert.Contains("审核通过", refusal!.DetailZh, StringComparison.Ordinal);
        Assert.Contains("退回修改", refusal.DetailZh, StringComparison.Ordinal);
        Assert.Null(NewCase().RefuseUnlessAllowed(ReviewAction.Return));
    }

    [Fact]
    public void Only_the_level_the_case_awaits_may_claim_or_decide()
    {
        AssertChineseFirst(NewCase(CaseState.AreaReview).RefuseUnlessReviewableAt(ReviewLevel.Site)!, "not_reviewable");
        Assert.Null(NewCase(CaseState.AreaReview).RefuseUnlessReviewableAt(ReviewLevel.Area));
    }

    [Fact]
    public void Only_the_holder_of_a_live_claim_decides()
    {
        var c = NewCase();
        AssertChineseFirst(c.RefuseUnlessHeldBy("alice", T0)!, "claim_not_held");

        c.Claim("bob", T0, TimeSpan.FromMinutes(30));
        var held = c.RefuseUnlessHeldBy("alice", T0.AddMinutes(1))!;
        AssertChineseFirst(held, "claim_not_held");
        Assert.Equal("bob", held.Facts!["claimedBy"]);
        // The reviewer reads the lease's end on Beijing's clock (08:30 UTC), as the timeline shows it.
        Assert.Contains("至 2027-03-01 16:30，北京时间", held.DetailZh, StringComparison.Ordinal);
        Assert.Contains("2027-03-01 16:30（北京时间）", CaseRefusals.ClaimHeld(c).DetailZh, StringComparison.Ordinal);
        Assert.Null(c.RefuseUnlessHeldBy("bob", T0.AddMinutes(1)));
        Assert.NotNull(c.RefuseUnlessHeldBy("bob", T0.AddMinutes(31)));
    }

    [Fact]
    public void Missing_materials_name_the_catalog_names_in_both_languages()
    {
        var refusal = CaseRefusals.MaterialsMissing(["有效身份证明"]);
        Assert.Equal("materials_missing", refusal.Code);
        Assert.Contains("有效身份证明", refusal.DetailZh, StringComparison.Ordinal);
        Assert.Equal(CaseRefusalKind.Conflict, refusal.Kind);
    }
}
