using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>The two-level review, transition by transition, with the stages reviewers see and the claim lease.</summary>
public sealed class ReviewCaseTransitionTests
{
    [Fact]
    public void Site_approval_moves_a_case_under_site_review_to_area_review()
    {
        var c = NewCase();
        Assert.True(c.TryApply(ReviewAction.SiteApprove, T0.AddMinutes(1)));
        Assert.Equal(CaseState.AreaReview, c.State);
        Assert.Equal(ReviewStages.SiteApproved, ReviewStages.Of(c, T0.AddMinutes(1)));
    }

    [Fact]
    public void A_site_return_sends_the_case_back_to_the_candidate()
    {
        var c = NewCase();
        Assert.True(c.TryApply(ReviewAction.Return, T0));
        Assert.Equal(CaseState.Returned, c.State);
        Assert.Equal(ReviewStages.Returned, ReviewStages.Of(c, T0));
    }

    [Fact]
    public void A_resubmission_puts_a_returned_case_back_in_site_review_as_resubmitted()
    {
        var c = NewCase(CaseState.Returned);
        Assert.True(c.TryApply(ReviewAction.Resubmit, T0));
        c.SubmissionNumber = 2;
        Assert.Equal(CaseState.SiteReview, c.State);
        Assert.Equal(ReviewStages.Resubmitted, ReviewStages.Of(c, T0));
    }

    [Fact]
    public void Area_approval_is_final()
    {
        var c = NewCase(CaseState.AreaReview);
        Assert.True(c.TryApply(ReviewAction.AreaApprove, T0));
        Assert.Equal(CaseState.Approved, c.State);
        Assert.All(Enum.GetValues<ReviewAction>(), a => Assert.False(c.TryApply(a, T0)));
    }

    [Fact]
    public void Area_review_can_return_too()
    {
        var c = NewCase(CaseState.AreaReview);
        Assert.True(c.TryApply(ReviewAction.Return, T0));
        Assert.Equal(CaseState.Returned, c.State);
    }

    [Fact]
    public void Area_rejection_is_final()
    {
        var c = NewCase(CaseState.AreaReview);
        Assert.True(c.TryApply(ReviewAction.Reject, T0));
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.All(Enum.GetValues<ReviewAction>(), a => Assert.False(c.TryApply(a, T0)));
    }

    [Theory]
    [InlineData(CaseState.SiteReview, ReviewAction.AreaApprove)]
    [InlineData(CaseState.SiteReview, ReviewAction.Reject)]
    [InlineData(CaseState.SiteReview, ReviewAction.Resubmit)]
    [InlineData(CaseState.Returned, ReviewAction.SiteApprove)]
    [InlineData(CaseState.Returned, ReviewAction.AreaApprove)]
    [InlineData(CaseState.Returned, ReviewAction.Return)]
    [InlineData(CaseState.Returned, ReviewAction.Reject)]
    [InlineData(CaseState.AreaReview, ReviewAction.SiteApprove)]
    [InlineData(CaseState.AreaReview, ReviewAction.Resubmit)]
    public void An_illegal_transition_changes_nothing(CaseState from, ReviewAction action)
    {
        var c = NewCase(from);
        c.Version = 7;
        Assert.False(c.TryApply(action, T0.AddHours(1)));
        Assert.Equal(from, c.State);
        Assert.Equal(7, c.Version);
        Assert.Equal(T0, c.UpdatedAt);
    }

    [Fact]
    public void The_whole_path_with_a_return_at_each_level_ends_approved()
    {
        var c = NewCase();
        ReviewAction[] path =
        [
            ReviewAction.Return, ReviewAction.Resubmit, ReviewAction.SiteApprove, ReviewAction.Return, ReviewAction.Resubmit,
            ReviewAction.SiteApprove, ReviewAction.AreaApprove,
        ];
        foreach (var action in path)
        {
            Assert.True(c.TryApply(action, T0), $"{action} from {c.State}");
        }
        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(path.Length, c.Version);
    }

    [Fact]
    public void A_claim_holds_until_its_lease_ends_and_renewal_keeps_the_claim_time()
    {
        var c = NewCase();
        c.Claim("site-a", T0, TimeSpan.FromMinutes(15));
        Assert.True(c.IsHeldBy("site-a", T0.AddMinutes(14)));
        Assert.False(c.IsHeldBy("site-b", T0.AddMinutes(14)));
        Assert.Equal(ReviewStages.UnderSiteReview, ReviewStages.Of(c, T0.AddMinutes(1)));

        c.Claim("site-a", T0.AddMinutes(10), TimeSpan.FromMinutes(15));
        Assert.Equal(T0, c.ClaimedAt);
        Assert.Equal(T0.AddMinutes(25), c.ClaimExpiresAt);

        // An expired lease holds nothing: the case is back in the queue for anyone.
        Assert.False(c.HasActiveClaim(T0.AddMinutes(25)));
        Assert.Equal(ReviewStages.Submitted, ReviewStages.Of(c, T0.AddMinutes(25)));
        c.Claim("site-b", T0.AddMinutes(30), TimeSpan.FromMinutes(15));
        Assert.True(c.IsHeldBy("site-b", T0.AddMinutes(31)));
        Assert.Equal(T0.AddMinutes(30), c.ClaimedAt);
    }

    [Fact]
    public void Every_claim_change_bumps_the_version_token()
    {
        var c = NewCase();
        c.Claim("site-a", T0, TimeSpan.FromMinutes(5));
        c.ReleaseClaim(T0.AddMinutes(1));
        Assert.Equal(2, c.Version);
        Assert.Null(c.ClaimedBy);
        Assert.False(c.HasActiveClaim(T0.AddMinutes(1)));
    }

    [Fact]
    public void A_case_is_reviewable_at_exactly_one_level_at_a_time()
    {
        Assert.Equal(ReviewLevel.Site, NewCase(CaseState.SiteReview).ReviewableAt);
        Assert.Equal(ReviewLevel.Area, NewCase(CaseState.AreaReview).ReviewableAt);
        Assert.Null(NewCase(CaseState.Returned).ReviewableAt);
        Assert.Null(NewCase(CaseState.Approved).ReviewableAt);
        Assert.Null(NewCase(CaseState.Rejected).ReviewableAt);
    }

    [Fact]
    public void A_returned_case_is_overdue_once_its_window_ends()
    {
        var c = NewCase(CaseState.Returned);
        c.RespondBy = T0.AddHours(24);
        Assert.False(c.IsOverdue(T0.AddHours(23)));
        Assert.True(c.IsOverdue(T0.AddHours(24)));
        c.State = CaseState.SiteReview;
        Assert.False(c.IsOverdue(T0.AddHours(30)));
    }

    [Fact]
    public void Percentiles_use_the_nearest_rank()
    {
        var stats = Durations.Of(Enumerable.Range(1, 10).Select(i => TimeSpan.FromSeconds(i)));
        Assert.Equal(10, stats.Count);
        Assert.Equal(5, stats.MedianSeconds);
        Assert.Equal(9, stats.P90Seconds);
        Assert.Equal(new DurationStats(0, null, null), Durations.Of([]));
        Assert.Equal(7, Durations.Of([TimeSpan.FromSeconds(7)]).P90Seconds);
    }

    [Fact]
    public void Area_deadline_settings_fall_back_to_the_defaults()
    {
        var options = new DeadlineOptions
        {
            Areas = { ["11"] = new AreaDeadlineOptions { ResponseWindow = TimeSpan.FromHours(48), OnExpiry = ExpiryBehaviour.Escalate } },
        };
        Assert.Equal(new AreaDeadlinePolicy(TimeSpan.FromHours(24), TimeSpan.FromHours(4), ExpiryBehaviour.Wait), options.For("43"));
        Assert.Equal(new AreaDeadlinePolicy(TimeSpan.FromHours(48), TimeSpan.FromHours(4), ExpiryBehaviour.Escalate), options.For("11"));
    }
}
