using ExamReview.Notification.Domain;

namespace ExamReview.UnitTests;

public sealed class NotificationTemplateTests
{
    [Fact]
    public void The_return_notice_is_the_seeds_text_with_the_area_sender()
    {
        Assert.Equal(
            "【湖南考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。",
            SmsTemplates.Render(SmsTemplates.Returned, "湖南考区"));
    }

    [Theory]
    [InlineData(SmsTemplates.Approved, "审核通过")]
    [InlineData(SmsTemplates.Rejected, "审核未通过")]
    public void Decision_notices_name_the_sender_and_the_outcome(string template, string outcome)
    {
        var text = SmsTemplates.Render(template, "广东考区");
        Assert.StartsWith("【广东考区】", text, StringComparison.Ordinal);
        Assert.Contains(outcome, text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_template_is_an_error_not_an_empty_sms()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmsTemplates.Render("nope", "x"));
    }
}
