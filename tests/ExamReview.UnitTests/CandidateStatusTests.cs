using ExamReview.Contracts;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests;

public sealed class CandidateStatusTests
{
    private static CandidateRegistration NewRegistration() => new()
    {
        RegistrationNumber = "2027430001", AreaCode = "43", SiteCode = "4301", ExamCategory = "practitioner-clinical",
        FullName = "张三", IdNumber = "43010119900101124X", MobileNumber = "13800138000",
    };

    [Fact]
    public void Labels_are_the_candidate_visible_chinese_statuses()
    {
        Assert.Equal("填报", CandidateStatus.Filling.Label());
        Assert.Equal("考点通过", CandidateStatus.SiteApproved.Label());
        Assert.Equal("审核通过", CandidateStatus.Approved.Label());
        Assert.Equal("审核拒绝", CandidateStatus.Rejected.Label());
    }

    [Fact]
    public void An_older_event_arriving_late_does_not_roll_the_status_back()
    {
        var registration = NewRegistration();
        var older = Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(-5));
        var newer = Guid.CreateVersion7(DateTimeOffset.UtcNow);
        Assert.True(registration.ApplyStatus(CandidateStatus.Approved, new(newer, null), DateTimeOffset.UtcNow));
        Assert.False(registration.ApplyStatus(CandidateStatus.SiteApproved, new(older, null), DateTimeOffset.UtcNow));
        Assert.Equal(CandidateStatus.Approved, registration.Status);
        Assert.False(registration.ApplyStatus(CandidateStatus.Approved, new(newer, null), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_return_carries_feedback_and_deadline_and_a_later_approval_clears_them()
    {
        var registration = NewRegistration();
        var respondBy = DateTimeOffset.UtcNow.AddHours(24);
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, new(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(-1)), new ReviewPosition(1, 3)), DateTimeOffset.UtcNow, "图片不清晰", respondBy));
        Assert.Equal("图片不清晰", registration.Feedback);
        Assert.Equal(respondBy, registration.RespondBy);
        Assert.True(registration.ApplyStatus(CandidateStatus.SiteApproved, new(Guid.CreateVersion7(), new ReviewPosition(2, 5)), DateTimeOffset.UtcNow));
        Assert.Null(registration.Feedback);
        Assert.Null(registration.RespondBy);
    }

    [Fact]
    public void The_review_s_position_orders_events_whatever_the_clocks_that_stamped_their_ids()
    {
        var registration = NewRegistration();
        // The resubmission's id was stamped by a host whose clock runs a minute behind the review's.
        var returned = new StatusEvent(Guid.CreateVersion7(DateTimeOffset.UtcNow), new ReviewPosition(1, 4));
        var resubmitted = new StatusEvent(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMinutes(-1)), new ReviewPosition(2, 0));
        var siteApproved = new StatusEvent(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddMinutes(-2)), new ReviewPosition(2, 6));

        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, returned, DateTimeOffset.UtcNow, "图片不清晰"));
        Assert.True(registration.ApplyStatus(CandidateStatus.Filling, resubmitted, DateTimeOffset.UtcNow));
        Assert.True(registration.ApplyStatus(CandidateStatus.SiteApproved, siteApproved, DateTimeOffset.UtcNow));
        // The return arriving again, or late, does not undo the later round.
        Assert.False(registration.ApplyStatus(CandidateStatus.Returned, returned, DateTimeOffset.UtcNow, "图片不清晰"));
        Assert.False(registration.ApplyStatus(CandidateStatus.Filling, resubmitted, DateTimeOffset.UtcNow));
        Assert.Equal((CandidateStatus.SiteApproved, (int?)2, (int?)6), (registration.Status, registration.LastStatusSubmission, registration.LastStatusCaseVersion));
    }

    [Fact]
    public void Without_a_position_on_either_side_the_message_ids_order_as_before()
    {
        var registration = NewRegistration();
        var positioned = new StatusEvent(Guid.CreateVersion7(DateTimeOffset.UtcNow), new ReviewPosition(1, 2));
        Assert.True(registration.ApplyStatus(CandidateStatus.SiteApproved, positioned, DateTimeOffset.UtcNow));
        // An older sender's event says no position: its id decides.
        Assert.False(registration.ApplyStatus(CandidateStatus.Filling, new(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(-5)), null), DateTimeOffset.UtcNow));
        Assert.True(registration.ApplyStatus(CandidateStatus.Approved, new(Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(5)), null), DateTimeOffset.UtcNow));
        Assert.Null(registration.LastStatusSubmission);
        Assert.Equal(CandidateStatus.Approved, registration.Status);
    }

    [Theory]
    [InlineData(CandidateStatus.Filling, false)]
    [InlineData(CandidateStatus.Returned, false)]
    [InlineData(CandidateStatus.SiteApproved, true)]
    [InlineData(CandidateStatus.Approved, true)]
    [InlineData(CandidateStatus.Rejected, true)]
    public void The_candidate_changes_photo_and_profile_only_until_the_site_has_passed_them_or_after_a_return(CandidateStatus status, bool refused)
    {
        var registration = NewRegistration();
        registration.Status = status;
        var refusal = registration.RefuseCandidateChange();
        Assert.Equal(refused, refusal is not null);
        if (refusal is { } r)
        {
            Assert.Equal("reviewed_as_is", r.Code);
            Assert.Contains(status.Label(), r.DetailZh, StringComparison.Ordinal);
        }
    }
}
