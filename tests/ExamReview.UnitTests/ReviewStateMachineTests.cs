using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests;

public sealed class ReviewStateMachineTests
{
    public static TheoryData<CaseState, ReviewAction, CaseState?> AllPairs()
    {
        var legal = new Dictionary<(CaseState, ReviewAction), CaseState>
        {
            [(CaseState.SiteReview, ReviewAction.SiteApprove)] = CaseState.AreaReview,
            [(CaseState.SiteReview, ReviewAction.Return)] = CaseState.Returned,
            [(CaseState.Returned, ReviewAction.Resubmit)] = CaseState.SiteReview,
            [(CaseState.Returned, ReviewAction.Resume)] = CaseState.SiteReview,
            [(CaseState.AreaReview, ReviewAction.AreaApprove)] = CaseState.Approved,
            [(CaseState.AreaReview, ReviewAction.Return)] = CaseState.Returned,
            [(CaseState.AreaReview, ReviewAction.Reject)] = CaseState.Rejected,
        };
        var data = new TheoryData<CaseState, ReviewAction, CaseState?>();
        foreach (var state in Enum.GetValues<CaseState>())
        {
            foreach (var action in Enum.GetValues<ReviewAction>())
            {
                data.Add(state, action, legal.TryGetValue((state, action), out var next) ? next : null);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_state_and_action_pair_is_either_the_documented_transition_or_refused(CaseState from, ReviewAction action, CaseState? expected)
    {
        Assert.Equal(expected, ReviewStateMachine.Next(from, action));
    }

    [Fact]
    public void Final_states_accept_nothing()
    {
        foreach (var final in new[] { CaseState.Approved, CaseState.Rejected })
        {
            Assert.True(ReviewStateMachine.IsFinal(final));
            Assert.All(Enum.GetValues<ReviewAction>(), action => Assert.Null(ReviewStateMachine.Next(final, action)));
        }
    }

    [Fact]
    public void A_refused_action_leaves_the_case_unchanged()
    {
        var reviewCase = new ReviewCase { RegistrationNumber = "1", AreaCode = "43", SiteCode = "4301", ImageIdsJson = "[]", State = CaseState.SiteReview, Version = 3 };
        Assert.False(reviewCase.TryApply(ReviewAction.AreaApprove, DateTimeOffset.UtcNow));
        Assert.Equal(CaseState.SiteReview, reviewCase.State);
        Assert.Equal(3, reviewCase.Version);
        Assert.True(reviewCase.TryApply(ReviewAction.SiteApprove, DateTimeOffset.UtcNow));
        Assert.Equal(CaseState.AreaReview, reviewCase.State);
        Assert.Equal(4, reviewCase.Version);
    }
}
