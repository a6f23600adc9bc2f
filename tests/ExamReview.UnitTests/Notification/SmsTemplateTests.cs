using ExamReview.Notification.Domain;

namespace ExamReview.UnitTests.Notification;

public sealed class SmsTemplateTests
{
    private static readonly Dictionary<string, string> Deadline = new() { [SmsTemplates.DeadlineVariable] = "2027-03-01 18:00" };

    [Fact]
    public void Return_notice_is_the_seeds_text_word_for_word_with_the_area_sender()
    {
        Assert.Equal(
            "【湖南考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。",
            SmsTemplates.Render(SmsTemplates.Returned, "湖南考区", Deadline));
    }

    [Fact]
    public void Approval_notice_names_the_sender_and_says_approved()
    {
        Assert.Equal("【广东考区】您的医师资格考试报名材料已审核通过，请登陆报名网站查看。", SmsTemplates.Render(SmsTemplates.Approved, "广东考区"));
    }

    [Fact]
    public void Rejection_notice_names_the_sender_and_points_to_the_feedback()
    {
        Assert.Equal("【四川考区】您的医师资格考试报名材料审核未通过，请登陆报名网站查看审核意见。", SmsTemplates.Render(SmsTemplates.Rejected, "四川考区"));
    }

    [Fact]
    public void Deadline_reminder_fills_in_the_deadline()
    {
        Assert.Equal(
            "【北京考区】您的医师资格考试报名材料尚有审核意见未处理，请于 2027-03-01 18:00 前登陆报名网站，访问报名材料上传页面，按要求修改后提交。",
            SmsTemplates.Render(SmsTemplates.DeadlineReminder, "北京考区", Deadline));
        Assert.Equal("""{"deadline":"2027-03-01 18:00"}""", SmsTemplates.ParamsJson(SmsTemplates.Find(SmsTemplates.DeadlineReminder)!.DefaultBody, Deadline));
    }

    [Theory]
    [InlineData(SmsTemplates.Returned)]
    [InlineData(SmsTemplates.Approved)]
    [InlineData(SmsTemplates.Rejected)]
    [InlineData(SmsTemplates.DeadlineReminder)]
    [InlineData(SmsTemplates.OneTimeCode)]
    [InlineData(SmsTemplates.MobileChanged)]
    public void Every_built_in_template_passes_the_load_checks(string template)
    {
        var kind = SmsTemplates.Find(template)!;
        Assert.Empty(SmsTemplates.Validate(template, kind.DefaultBody, kind.DefaultCode));
    }

    [Theory]
    [InlineData(SmsTemplates.Approved, "您的材料已于 ${deadline} 通过。", "not available")]
    [InlineData(SmsTemplates.Returned, "请于 ${dueDate} 前处理。", "${dueDate} is not available for review-returned; available: ${deadline}")]
    [InlineData(SmsTemplates.DeadlineReminder, "请尽快处理。", "must show ${deadline}")]
    [InlineData(SmsTemplates.MobileChanged, "您的手机号已变更为 ${mobileNumber}。", "${mobileNumber} is not available for account-mobile-changed")]
    [InlineData(SmsTemplates.MobileChanged, "您的手机号已于 ${changedAt} 变更。", "must show ${mobileTail}")]
    [InlineData(SmsTemplates.Approved, "【湖南考区】已审核通过。", "must not contain 【】")]
    [InlineData(SmsTemplates.Returned, "请于 ${deadline 前处理。", "'$' that does not start a variable")]
    [InlineData(SmsTemplates.Approved, "  ", "body is empty")]
    [InlineData(SmsTemplates.Approved, "第一行\n第二行", "control characters")]
    public void A_broken_template_is_refused_when_loaded_naming_the_error(string template, string body, string expected)
    {
        var errors = SmsTemplates.Validate(template, body, "SMS_100001");
        Assert.Contains(errors, e => e.En.Contains(expected, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Matches("[\u4e00-\u9fff]", e.Zh));
    }

    [Fact]
    public void The_warning_to_a_previous_number_names_the_time_and_only_the_new_numbers_tail()
    {
        var variables = new Dictionary<string, string> { [SmsTemplates.MobileTailVariable] = "5678", [SmsTemplates.ChangedAtVariable] = "2027-03-01 18:05" };
        Assert.Equal(
            "【湖南考区】您在医师资格考试网上报名系统登记的手机号已于 2027-03-01 18:05 变更为尾号 5678 的号码。如非本人操作，请立即联系您报考的考点。",
            SmsTemplates.Render(SmsTemplates.MobileChanged, "湖南考区", variables));
        Assert.Equal("""{"changedAt":"2027-03-01 18:05","mobileTail":"5678"}""", SmsTemplates.ParamsJson(SmsTemplates.Find(SmsTemplates.MobileChanged)!.DefaultBody, variables));
    }

    [Fact]
    public void An_unknown_event_or_a_bad_provider_code_is_refused()
    {
        Assert.Contains("unknown template 'review-maybe'", Assert.Single(SmsTemplates.Validate("review-maybe", "x", "SMS_1")).En, StringComparison.Ordinal);
        Assert.Contains(SmsTemplates.Validate(SmsTemplates.Approved, "已审核通过。", "SMS 1"), e => e.En.Contains("providerTemplateCode", StringComparison.Ordinal));
        Assert.Contains(SmsTemplates.Validate(SmsTemplates.Approved, new string('审', SmsTemplates.MaxBodyLength + 1), "SMS_1"), e => e.En.Contains("at most 300", StringComparison.Ordinal));
    }

    [Fact]
    public void Rendering_an_unknown_template_is_an_error_not_an_empty_sms()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmsTemplates.Render("nope", "x"));
    }
}
