using ExamReview.ReviewWorkflow.Domain;

namespace ExamReview.UnitTests.Review;

public sealed class TimelineTextTests
{
    private static readonly DateTimeOffset LateEveningUtc = new(2027, 1, 16, 16, 30, 5, TimeSpan.Zero);
    private static readonly Guid ImageId = Guid.Parse("01a23467-a5f3-7a8d-b77b-d3a6b1550ce7");
    private static readonly Guid OldImageId = Guid.Parse("01a23467-0000-7a8d-b77b-d3a6b1550ce7");

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
        Assert.Equal("site-erin 于 2027-01-16 23:30:05（北京时间）认领", held);
        Assert.Equal("2 张图片待重传，请于 2027-01-17 00:30:05（北京时间）前重新提交；" + held, TimelineText.ReturnedForImages(2, LateEveningUtc, held));
        // Naming no image, the return unlocks every image not approved: the line says that, not "0 张图片待重传".
        Assert.Equal("全部未通过的图片可修改，请于 2027-01-17 00:30:05（北京时间）前重新提交；" + held, TimelineText.ReturnedForImages(0, LateEveningUtc, held));
        Assert.StartsWith("报名信息待考点工作人员更正", TimelineText.ReturnedForRegistrationData(LateEveningUtc, held), StringComparison.Ordinal);
        Assert.Equal("决定时无人认领", TimelineText.ClaimedBy(null, null));
        Assert.Equal("省级系统退回，原因：图片不清晰、证件已过期；请于 2027-01-17 00:30:05（北京时间）前重新提交",
            TimelineText.ReturnedByProvince(["图片不清晰", "证件已过期"], LateEveningUtc));
    }

    [Fact]
    public void An_image_is_named_by_its_whole_id_with_the_reason_and_the_reviewers_note()
    {
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7：图片不清晰（反光严重）", TimelineText.ReplacementRequested(ImageId, "图片不清晰", "反光严重"));
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7：图片不清晰", TimelineText.ReplacementRequested(ImageId, "图片不清晰", null));
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7（毕业证书）", TimelineText.ImageSubmitted(ImageId, "毕业证书", null));
        Assert.Equal("图片 01a23467-a5f3-7a8d-b77b-d3a6b1550ce7（毕业证书），替换原图片 01a23467-0000-7a8d-b77b-d3a6b1550ce7",
            TimelineText.ImageSubmitted(ImageId, "毕业证书", OldImageId));
    }

    [Fact]
    public void Submissions_count_the_images_and_the_replacements_among_them()
    {
        Assert.Equal("第 1 次提交，7 张图片", TimelineText.Submitted(1, 7));
        Assert.Equal("第 2 次提交，共 3 张，其中替换 1 张，已过修改截止时间", TimelineText.Resubmitted(2, 1, 3, late: true));
        Assert.Equal("第 2 次提交，共 3 张，其中替换 3 张", TimelineText.Resubmitted(2, 3, 3, late: false));
    }

    [Fact]
    public void The_deadline_scan_and_corrections_say_what_happened_in_Chinese()
    {
        Assert.Equal("截至 2027-01-17 00:30:05（北京时间）未重新提交；转交考区", TimelineText.NoResubmission(LateEveningUtc, ExpiryBehaviour.Escalate));
        Assert.EndsWith("继续等待", TimelineText.NoResubmission(LateEveningUtc, ExpiryBehaviour.Wait), StringComparison.Ordinal);
        Assert.Equal("site-erin 的认领已于 2027-01-17 00:30:05（北京时间）到期", TimelineText.LeaseEnded("site-erin", LateEveningUtc));
        Assert.Equal("更正姓名、考试类别：考生提供了户籍证明", TimelineText.RegistrationCorrected(["姓名", "考试类别"], "考生提供了户籍证明"));
    }
}
