using ExamReview.Contracts;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Staff corrections while an area holds its results until the round closes: a final decision is final at once, so a
/// correction after it is refused as after a published one — in words that say the review is over, never what it decided.
/// </summary>
public sealed class HeldResultCorrectionTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] ResultWords = ["考点通过", "审核通过", "审核拒绝", "SiteApproved", "Approved", "Rejected"];

    /// <summary>Submitted (submission 1) and shown as 填报, as a held area's candidate is until the round publishes.</summary>
    private static CandidateRegistration Submitted()
    {
        var registration = TestRegistrations.New("430101199001011234");
        Assert.True(registration.ApplyStatus(CandidateStatus.Filling, new(Guid.CreateVersion7(), new ReviewPosition(1, 0)), Now.AddDays(-2)));
        registration.Version = 5;
        registration.UpdatedAt = Now.AddDays(-1);
        return registration;
    }

    private static Dictionary<string, string> NewName() => new() { [CorrectableFields.FullName] = "张叁" };

    [Theory]
    [InlineData(ResultNames.Approved)]
    [InlineData(ResultNames.Rejected)]
    public void A_held_final_decision_refuses_the_correction_without_naming_the_result(string result)
    {
        var registration = Submitted();
        Assert.True(registration.ApplyHeldResult(result, new ReviewPosition(1, 6)));

        var (refusal, rows) = registration.Correct(NewName(), "核对身份证", "site-4301", Now);

        Assert.Equal((CorrectionRefusal.ReviewFinished, 0), (refusal, rows.Count));
        Assert.Equal(("张三", 5, Now.AddDays(-1), CandidateStatus.Filling), (registration.FullName, registration.Version, registration.UpdatedAt, registration.Status));
        var (code, zh, en) = refusal.Describe(registration);
        Assert.Equal(("review_finished", "审核已结束，结果尚未公布，报名信息不能再修改。"), (code, zh));
        Assert.All(ResultWords, word =>
        {
            Assert.DoesNotContain(word, zh, StringComparison.Ordinal);
            Assert.DoesNotContain(word, en, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_held_site_pass_leaves_corrections_open_as_a_published_one_does()
    {
        var registration = Submitted();
        Assert.True(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3)));

        var (refusal, rows) = registration.Correct(NewName(), "核对身份证", "site-4301", Now);

        Assert.Equal((CorrectionRefusal.None, 1), (refusal, rows.Count));
        Assert.Equal("张叁", registration.FullName);
    }

    [Fact]
    public void Once_the_round_publishes_the_decision_the_refusal_names_it()
    {
        var registration = Submitted();
        registration.ApplyHeldResult(ResultNames.Rejected, new ReviewPosition(1, 6));
        Assert.True(registration.ApplyStatus(CandidateStatus.Rejected, new(Guid.CreateVersion7(), new ReviewPosition(1, 6)), Now, "材料不符"));

        var (refusal, _) = registration.Correct(NewName(), "核对身份证", "site-4301", Now);

        Assert.Equal("审核已结束（审核拒绝），报名信息不能再修改。", refusal.Describe(registration).Zh);
    }

    [Fact]
    public void A_return_that_overtook_the_held_decision_opens_corrections_again()
    {
        var registration = Submitted();
        registration.ApplyHeldResult(ResultNames.Approved, new ReviewPosition(1, 6));
        // An outcome at a later position overtook the held decision: a return, which reaches the candidate at once.
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, new(Guid.CreateVersion7(), new ReviewPosition(1, 8)), Now, "姓名与身份证不符"));

        Assert.Equal(CorrectionRefusal.None, registration.Correct(NewName(), "核对身份证", "site-4301", Now).Refusal);
    }
}
