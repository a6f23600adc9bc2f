using ExamReview.Contracts;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Results an area holds until its round closes: the candidate keeps seeing the status as published, but their own
/// change of photo and profile follows the review's real state (ApplicationResultHeld), refused in words that name no result.
/// </summary>
public sealed class HeldResultRuleTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Submitted (submission 1, at version 0) and shown as 填报, as a held area's candidate is after the site's pass.</summary>
    private static CandidateRegistration Submitted()
    {
        var registration = TestRegistrations.New("430101199001011234");
        Assert.True(registration.ApplyStatus(CandidateStatus.Filling, new(Guid.CreateVersion7(), new ReviewPosition(1, 0)), Now.AddDays(-2)));
        registration.ProfileVersion = 2;
        registration.Version = 5;
        registration.UpdatedAt = Now.AddDays(-1);
        return registration;
    }

    [Theory]
    [InlineData(ResultNames.SiteApproved)]
    [InlineData(ResultNames.Approved)]
    [InlineData(ResultNames.Rejected)]
    public void A_held_result_refuses_the_profile_while_the_candidate_still_sees_filling_and_the_refusal_names_no_result(string result)
    {
        var registration = Submitted();

        Assert.True(registration.ApplyHeldResult(result, new ReviewPosition(1, 3)));
        var refusal = registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, Now);

        Assert.Equal(CandidateRegistration.ReviewedAsIsCode, refusal!.Value.Code);
        Assert.Equal("资料审核中，暂不能修改报名照片和个人情况；确需修改的，请联系考点工作人员。", refusal.Value.DetailZh);
        foreach (var status in new[] { CandidateStatus.SiteApproved, CandidateStatus.Approved, CandidateStatus.Rejected })
        {
            Assert.DoesNotContain(status.Label(), refusal.Value.DetailZh, StringComparison.Ordinal);
            Assert.DoesNotContain(status.ToString(), refusal.Value.DetailEn, StringComparison.Ordinal);
        }
        // Seen and stored as before: nothing the candidate or a province reads moved.
        Assert.Equal(CandidateStatus.Filling, registration.Status);
        Assert.Equal(("bachelor", 2, 5, Now.AddDays(-1)), (registration.EducationLevel, registration.ProfileVersion, registration.Version, registration.UpdatedAt));
        Assert.Equal(CandidateRegistration.HeldResultStatus(result), registration.ReviewState);
    }

    [Fact]
    public void The_photo_refusal_follows_the_held_result_too()
    {
        var registration = Submitted();
        Assert.Null(registration.RefuseCandidateChange());

        registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3));

        Assert.Equal(CandidateRegistration.ReviewedAsIsCode, registration.RefuseCandidateChange()!.Value.Code);
    }

    [Fact]
    public void Once_the_round_publishes_it_the_status_takes_over_and_the_refusal_names_it()
    {
        var registration = Submitted();
        registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3));

        Assert.True(registration.ApplyStatus(CandidateStatus.SiteApproved, new(Guid.CreateVersion7(), new ReviewPosition(1, 3)), Now));

        Assert.Equal((CandidateStatus.SiteApproved, (CandidateStatus?)null, 0), (registration.Status, registration.HeldStatus, registration.HeldStatusCaseVersion));
        Assert.Contains("考点通过", registration.RefuseCandidateChange()!.Value.DetailZh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_return_that_overtook_the_held_result_opens_the_profile_again_and_a_late_held_result_does_not_close_it()
    {
        var registration = Submitted();
        registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3));
        // The area returns the case: feedback goes at once, the site's pass is withdrawn and never published.
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, new(Guid.CreateVersion7(), new ReviewPosition(1, 5)), Now, "请重传"));
        Assert.Null(registration.HeldStatus);

        // The held result delivered again, after the return.
        Assert.False(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3)));

        Assert.Equal(CandidateStatus.Returned, registration.ReviewState);
        Assert.Null(registration.ChangeProfile(CandidateProfile.Plain with { EducationLevel = "doctorate" }, Now));
        Assert.Equal((3, 6), (registration.ProfileVersion, registration.Version));
    }

    [Fact]
    public void A_later_held_result_replaces_an_earlier_one_and_an_earlier_one_arriving_late_changes_nothing()
    {
        var registration = Submitted();
        Assert.True(registration.ApplyHeldResult(ResultNames.Rejected, new ReviewPosition(1, 7)));

        Assert.False(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3)));
        Assert.False(registration.ApplyHeldResult(ResultNames.Rejected, new ReviewPosition(1, 7)));
        Assert.Equal((CandidateStatus.Rejected, 7), (registration.ReviewState, registration.HeldStatusCaseVersion));

        // A resubmission stands after every outcome of the round before: the new round starts open.
        Assert.True(registration.ApplyStatus(CandidateStatus.Filling, new(Guid.CreateVersion7(), new ReviewPosition(2, 0)), Now));
        Assert.Null(registration.RefuseCandidateChange());
    }

    [Fact]
    public void A_held_result_at_or_before_the_status_shown_is_stale()
    {
        var registration = Submitted();
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, new(Guid.CreateVersion7(), new ReviewPosition(1, 4)), Now, "请重传"));

        Assert.False(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 4)));
        Assert.False(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 2)));
        Assert.Null(registration.HeldStatus);
    }

    [Fact]
    public void A_status_from_a_sender_without_positions_is_the_latest_word_and_clears_the_held_result()
    {
        var registration = TestRegistrations.New("430101199001011234");
        // Shown without a position (an older sender): any held result is taken as ahead of it.
        Assert.True(registration.ApplyHeldResult(ResultNames.SiteApproved, new ReviewPosition(1, 3)));
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, new(Guid.CreateVersion7(), null), Now, "请重传"));

        Assert.Equal(CandidateStatus.Returned, registration.ReviewState);
    }

    [Fact]
    public void A_result_the_contract_does_not_name_is_refused_not_guessed()
    {
        var registration = Submitted();

        Assert.Throws<ArgumentOutOfRangeException>(() => registration.ApplyHeldResult("returned", new ReviewPosition(1, 3)));
        Assert.Null(registration.HeldStatus);
    }
}
