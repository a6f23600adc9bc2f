using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

public sealed class TimelineTextTests
{
    private static readonly DateTimeOffset LateEveningUtc = new(2027, 1, 16, 16, 30, 5, TimeSpan.Zero);

    [Fact]
    public void Times_read_in_Beijing_time_and_say_so_whatever_offset_they_come_with()
    {
        Assert.Equal("2027-01-17 00:30:05（北京时间）", TimelineText.At(LateEveningUtc));
        Assert.Equal("2027-01-17 00:30:05（北京时间）", TimelineText.At(LateEveningUtc.ToOffset(TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void A_return_says_what_to_replace_by_when_and_who_held_the_case()
    {
        var held = TimelineText.ClaimedBy("site-erin", LateEveningUtc.AddHours(-1));
        Assert.Equal("site-erin 于 2027-01-16 23:30:05（北京时间） 认领", held);
        Assert.Equal("2 张图片待重传，请于 2027-01-17 00:30:05（北京时间） 前重新提交；" + held,
            TimelineText.ReturnedForImages(2, LateEveningUtc, held));
        Assert.StartsWith("报名信息待考点工作人员更正", TimelineText.ReturnedForRegistrationData(LateEveningUtc, held), StringComparison.Ordinal);
        Assert.Equal("未持有认领", TimelineText.ClaimedBy(null, null));
    }

    [Fact]
    public void An_image_is_named_by_its_whole_id_with_the_reason_and_the_reviewers_note()
    {
        var id = Guid.Parse("01a23467-a5f3-7a8d-b77b-d3a6b1550ce7");
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7：图片不清晰（反光严重）", TimelineText.ReplacementRequested(id, "图片不清晰", "反光严重"));
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7：图片不清晰", TimelineText.ReplacementRequested(id, "图片不清晰", null));
    }

    [Fact]
    public void The_deadline_scan_says_what_happened_in_Chinese()
    {
        Assert.Equal("截至 2027-01-17 00:30:05（北京时间） 未重新提交；转交考区", TimelineText.NoResubmission(LateEveningUtc, ExpiryBehaviour.Escalate));
        Assert.EndsWith("继续等待", TimelineText.NoResubmission(LateEveningUtc, ExpiryBehaviour.Wait), StringComparison.Ordinal);
        Assert.Equal("第 2 次提交：替换 1 张，新增 1 张，已过修改截止时间", TimelineText.Resubmitted(2, 1, 1, late: true));
    }
}
