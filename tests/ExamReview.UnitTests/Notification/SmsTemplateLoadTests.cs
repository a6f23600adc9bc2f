using ExamReview.Notification.Domain;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// What an operator's template and sender loads may say and what they change, without a database: the sender an
/// area's own template needs, the batch's all-or-nothing naming of each error, and the sender name's own checks.
/// </summary>
public sealed class SmsTemplateLoadTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlySet<string> HunanHasSender = new HashSet<string>(StringComparer.Ordinal) { "43" };

    [Fact]
    public void An_areas_own_template_needs_the_areas_sender_and_the_error_comes_before_the_texts()
    {
        var errors = SmsTemplate.Check("44", SmsTemplates.Approved, null, "【广东】通过。", HunanHasSender);

        Assert.Equal(["areaCode", "template"], errors.Keys);
        Assert.StartsWith("考区“44”还没有短信签名", errors["areaCode"].Single().Zh, StringComparison.Ordinal);
        // Both the provider code and the 【sign】 in the body are named, in the order the text is checked.
        Assert.Equal(2, errors["template"].Length);
        Assert.StartsWith("providerTemplateCode", errors["template"][0].En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_for_every_area_needs_no_sender_of_its_own()
    {
        Assert.Empty(SmsTemplate.Check(SmsTemplate.AnyArea, SmsTemplates.Approved, "SMS_1", "您的材料已审核通过。", new HashSet<string>()));
        Assert.Empty(SmsTemplate.Check("43", SmsTemplates.Approved, "SMS_1", "您的材料已审核通过。", HunanHasSender));
    }

    [Fact]
    public void A_batch_names_missing_keys_duplicates_and_each_items_fields_by_position()
    {
        SmsTemplateDraft[] drafts =
        [
            new("43", SmsTemplates.Approved, "SMS_1", "通过。"),
            new(null, SmsTemplates.Rejected, "SMS_2", "未通过。"),
            new("43", SmsTemplates.Approved, "SMS_3", "又一次。"),
            new("44", SmsTemplates.Rejected, "SMS_4", "【x】未通过。"),
        ];

        var errors = SmsTemplate.Check(drafts, HunanHasSender);

        Assert.Equal(["templates[1]", "templates[2]", "templates[3].areaCode", "templates[3].template"], errors.Keys);
        Assert.Equal("areaCode and template are required", errors["templates[1]"].Single().En);
        Assert.Equal($"43/{SmsTemplates.Approved} appears more than once", errors["templates[2]"].Single().En);
    }

    [Fact]
    public void A_clean_batch_is_accepted()
    {
        Assert.Empty(SmsTemplate.Check([new SmsTemplateDraft("43", SmsTemplates.Approved, "SMS_1", "通过。"), new SmsTemplateDraft("*", SmsTemplates.Rejected, "SMS_2", "未通过。")],
            HunanHasSender));
    }

    [Fact]
    public void Loading_replaces_code_and_body_and_records_who_and_when_but_not_where_it_applies()
    {
        var template = SmsTemplate.New(new SmsTemplateDraft("43", SmsTemplates.Approved, "SMS_1", "通过。"));
        Assert.Equal(("43", SmsTemplates.Approved, "SMS_1", "通过。"), (template.AreaCode, template.Template, template.ProviderTemplateCode, template.Body));
        Assert.Null(template.UpdatedAt);

        template.Load(new SmsTemplateDraft("43", SmsTemplates.Approved, "SMS_2", "已通过。"), "op-7", Now);

        Assert.Equal(("SMS_2", "已通过。", "op-7", (DateTimeOffset?)Now), (template.ProviderTemplateCode, template.Body, template.UpdatedBy, template.UpdatedAt));
        Assert.Equal("43", template.AreaCode);
    }

    [Fact]
    public void An_unchecked_draft_is_never_loaded()
    {
        var template = SmsTemplate.New(new SmsTemplateDraft("43", SmsTemplates.Approved, "SMS_1", "通过。"));

        Assert.Throws<InvalidOperationException>(() => template.Load(new SmsTemplateDraft("43", SmsTemplates.Approved, "SMS_2", null), "op", Now));
        Assert.Equal("通过。", template.Body);
    }

    [Fact]
    public void A_sender_name_is_checked_after_the_area_and_may_fail_both_of_its_rules()
    {
        var errors = AreaSender.Check("4", " 【");

        Assert.Equal(["areaCode", "senderName"], errors.Keys);
        Assert.Equal(["must be 2-20 characters", "is the text inside 【】, without the brackets"], errors["senderName"].Select(p => p.En));
        Assert.Equal(["senderName"], AreaSender.Check("43", null).Keys);
        Assert.Empty(AreaSender.Check("43", "  湖南考区 "));
    }

    [Fact]
    public void A_sender_is_stored_and_renamed_without_surrounding_spaces()
    {
        var sender = AreaSender.New("43", " 湖南考区 ");
        Assert.Equal(("43", "湖南考区"), (sender.AreaCode, sender.SenderName));

        sender.Rename("湖南省考区 ");
        Assert.Equal("湖南省考区", sender.SenderName);
    }
}
