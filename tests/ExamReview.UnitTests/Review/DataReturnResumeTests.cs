using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using static ExamReview.UnitTests.Review.ReviewCases;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// The ways out of a return for registration data, decided by the case: a reviewer resuming it with a reason, and a
/// staff correction made after the return (one made before it cannot be the answer).
/// </summary>
public sealed class DataReturnResumeTests
{
    private static readonly DateTimeOffset ReturnedAt = T0.AddMinutes(5);

    private static ReviewCase Returned(bool registrationData)
    {
        var c = HeldCase();
        var images = new[] { Image(ImageDecision.ReplacementRequested, "unclear") };
        var result = c.Return(new ReviewerReturn("学历填写错误，请联系考点", [], registrationData), registrationData ? [] : images, ImageChecks.None, ReviewLevel.Site, Reviewer, ReturnedAt,
            TimeSpan.FromDays(1), new Dictionary<Guid, string>());
        Assert.Null(result.Refusal);
        return c;
    }

    private static object Snapshot(ReviewCase c) =>
        (c.State, c.Version, c.AwaitingCorrection, c.ResubmittedSinceReview, c.RespondBy, c.UpdatedAt, c.DataReturnedAt, c.ClaimedBy);

    [Fact]
    public void A_reviewer_resumes_a_data_return_with_a_reason_on_the_timeline_and_the_same_message_a_correction_sends()
    {
        var c = Returned(registrationData: true);
        Assert.Equal(ReturnedAt, c.DataReturnedAt);
        var returnedVersion = c.Version;
        var at = ReturnedAt.AddHours(3);

        var result = c.ResumeAfterDataReturn("  考生已在个人信息中改正学历，报名信息无误  ", at);

        Assert.Null(result.Refusal);
        Assert.Equal((CaseState.SiteReview, false, true, (DateTimeOffset?)null), (c.State, c.AwaitingCorrection, c.ResubmittedSinceReview, c.RespondBy));
        Assert.True(c.Version > returnedVersion);
        var entry = Assert.Single(result.Timeline);
        Assert.Equal((CaseEventKinds.Resumed, "报名信息无需更正，由审核员恢复考点审核：考生已在个人信息中改正学历，报名信息无误"), (entry.Kind, entry.Detail));
        var resumed = Assert.IsType<ReviewResumed>(Assert.Single(result.Messages));
        Assert.Equal((c.Id, c.ApplicationId, c.CandidateId, "4301", "考生已在个人信息中改正学历，报名信息无误", at), (resumed.CaseId, resumed.ApplicationId, resumed.CandidateId, resumed.SiteCode, resumed.Reason, resumed.At));
        Assert.Equal(c.CurrentPosition, resumed.Position);
        // Back in the site's queue: the site reviewer can claim it again.
        Assert.Null(c.TakeClaim(ReviewLevel.Site, Reviewer, at, TimeSpan.FromMinutes(15)).Refusal);
    }

    [Fact]
    public void Resuming_is_refused_for_a_case_not_awaiting_a_correction_or_without_a_reason_and_changes_nothing()
    {
        var approvedAtSite = HeldCase();
        Assert.Null(approvedAtSite.Approve([], ImageChecks.None, ReviewLevel.Site, Reviewer, T0.AddMinutes(1), MissingMaterialsOverride.None).Refusal);
        var cases = new (string Name, ReviewCase Case)[]
        {
            ("in site review", HeldCase()), ("returned for images", Returned(registrationData: false)), ("in area review", approvedAtSite),
        };
        foreach (var (name, c) in cases)
        {
            var before = Snapshot(c);
            var refusal = c.ResumeAfterDataReturn("报名信息无误", T0.AddHours(1)).Refusal;
            Assert.True(refusal?.Code == "not_awaiting_correction", name);
            Assert.Equal(CaseRefusalKind.Conflict, refusal!.Kind);
            Assert.Equal(before, Snapshot(c));
        }

        var data = Returned(registrationData: true);
        var unchanged = Snapshot(data);
        foreach (var reason in new[] { null, " ", "无", new string('理', ReviewCase.MaxResumeReason + 1) })
        {
            var invalid = data.ResumeAfterDataReturn(reason, T0.AddHours(1)).Refusal!;
            Assert.Equal((CaseRefusalKind.InvalidField, "validation", "reason"), (invalid.Kind, invalid.Code, invalid.Facts!["field"]));
        }
        Assert.Equal(unchanged, Snapshot(data));

        Assert.Null(data.ResumeAfterDataReturn("报名信息无误", T0.AddHours(1)).Refusal);
        var resumed = Snapshot(data);
        Assert.Equal("not_awaiting_correction", data.ResumeAfterDataReturn("报名信息无误", T0.AddHours(2)).Refusal?.Code); // only once
        Assert.Equal(resumed, Snapshot(data));
    }

    [Fact]
    public void Only_a_correction_made_after_the_data_return_resumes_the_case()
    {
        var c = Returned(registrationData: true);
        var stale = new StaffCorrection("site-staff-1", ["证件号码"], "核对身份证", ReturnedAt.AddMinutes(-10));

        var early = c.TakeCorrection(stale, ReturnedAt.AddMinutes(1));

        Assert.Empty(early.Messages);
        Assert.Equal((CaseState.Returned, true), (c.State, c.AwaitingCorrection));
        var recorded = Assert.Single(early.Timeline);
        Assert.Equal(CaseEventKinds.RegistrationCorrected, recorded.Kind);
        Assert.StartsWith("更正证件号码：核对身份证（更正于 ", recorded.Detail, StringComparison.Ordinal);
        Assert.EndsWith("的退回，案件仍等待更正）", recorded.Detail, StringComparison.Ordinal);

        var late = c.TakeCorrection(stale with { CorrectedAt = ReturnedAt.AddMinutes(30) }, ReturnedAt.AddMinutes(31));

        Assert.Equal(CaseState.SiteReview, c.State);
        Assert.Equal([CaseEventKinds.RegistrationCorrected, CaseEventKinds.Resumed], late.Timeline.Select(e => e.Kind));
        Assert.Equal("核对身份证", Assert.IsType<ReviewResumed>(Assert.Single(late.Messages)).Reason);
    }

    [Fact]
    public void A_case_returned_before_the_return_time_was_kept_resumes_on_any_correction_as_before()
    {
        var c = Returned(registrationData: true);
        c.DataReturnedAt = null;

        var result = c.TakeCorrection(new StaffCorrection("site-staff-1", ["姓名"], "核对", ReturnedAt.AddDays(-1)), ReturnedAt.AddMinutes(1));

        Assert.Single(result.Messages.OfType<ReviewResumed>());
        Assert.Equal(CaseState.SiteReview, c.State);
    }
}
