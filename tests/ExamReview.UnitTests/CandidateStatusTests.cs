using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests;

public sealed class CandidateStatusTests
{
    private static CandidateRegistration NewRegistration() => new()
    {
        RegistrationNumber = "2027430001", AreaCode = "43", SiteCode = "4301", ExamCategory = "practitioner-clinical",
        FullName = "张三", IdNumber = "43010119900101123X", MobileNumber = "13800138000",
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
        Assert.True(registration.ApplyStatus(CandidateStatus.Approved, newer, DateTimeOffset.UtcNow));
        Assert.False(registration.ApplyStatus(CandidateStatus.SiteApproved, older, DateTimeOffset.UtcNow));
        Assert.Equal(CandidateStatus.Approved, registration.Status);
        Assert.False(registration.ApplyStatus(CandidateStatus.Approved, newer, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_return_carries_feedback_and_deadline_and_a_later_approval_clears_them()
    {
        var registration = NewRegistration();
        var respondBy = DateTimeOffset.UtcNow.AddHours(24);
        Assert.True(registration.ApplyStatus(CandidateStatus.Returned, Guid.CreateVersion7(DateTimeOffset.UtcNow.AddSeconds(-1)), DateTimeOffset.UtcNow, "图片不清晰", respondBy));
        Assert.Equal("图片不清晰", registration.Feedback);
        Assert.Equal(respondBy, registration.RespondBy);
        Assert.True(registration.ApplyStatus(CandidateStatus.SiteApproved, Guid.CreateVersion7(), DateTimeOffset.UtcNow));
        Assert.Null(registration.Feedback);
        Assert.Null(registration.RespondBy);
    }
}
