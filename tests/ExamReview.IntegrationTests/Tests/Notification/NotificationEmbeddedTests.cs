using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Notification in the embedded run, which sends SMS to its local provider stub: what reached the stub, the delivery
/// record, the candidate's message centre, the operators' failed-messages API and template loading.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class NotificationEmbeddedTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task An_approval_reaches_the_provider_stub_once_is_reported_delivered_and_lands_in_the_message_centre()
    {
        var candidateId = Guid.NewGuid();
        var mobile = NotificationScenario.NewMobile();
        var candidate = await Client.CandidateTokenAsync(candidateId);
        var @operator = await Client.OperatorTokenAsync();

        await NotificationScenario.ApproveAsync(Client, candidateId, candidate, mobile);

        var sms = await NotificationScenario.WaitForSmsAsync(Client, candidateId, @operator,
            s => s["delivery"]!.GetValue<string>() == "Delivered", "the approval SMS to be delivered");
        Assert.Equal("Sent", sms["status"]!.GetValue<string>());
        Assert.Equal("【湖南考区】您的医师资格考试报名材料已审核通过，请登陆报名网站查看。", sms["text"]!.GetValue<string>());
        var received = Assert.Single(await NotificationScenario.StubMessagesAsync(Client, @operator, mobile));
        Assert.Equal(sms["outId"]!.GetValue<string>(), received!["outId"]!.GetValue<string>());
        Assert.Equal("湖南考区", received["signName"]!.GetValue<string>());
        Assert.Equal("SMS_EXR0002", received["templateCode"]!.GetValue<string>());

        // The message centre: the decision is there, unread, until the candidate reads it.
        var messages = (await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages?unread=true", candidate)).AsArray();
        var decision = Assert.Single(messages, m => m!["kind"]!.GetValue<string>() == "decision");
        Assert.Equal("审核通过", decision!["title"]!.GetValue<string>());
        Assert.False(decision["read"]!.GetValue<bool>());
        var summary = await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages/summary", candidate);
        Assert.Equal(1, summary["unread"]!.GetValue<int>());

        using (var read = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/me/messages/{decision["id"]!.GetValue<string>()}/read", candidate))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }
        summary = await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages/summary", candidate);
        Assert.Equal(0, summary["unread"]!.GetValue<int>());
        Assert.Equal(1, summary["total"]!.GetValue<int>());
        Assert.Empty((await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages?unread=true", candidate)).AsArray());

        // Another candidate cannot read it, and bad filters are refused.
        var stranger = await Client.CandidateTokenAsync(Guid.NewGuid());
        using (var foreign = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/me/messages/{decision["id"]!.GetValue<string>()}/read", stranger))
        {
            Assert.Equal("message_not_found", (await PlatformClient.ProblemAsync(foreign, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        using (var badFilter = await Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/me/messages?limit=0&kind=gossip", candidate))
        {
            var problem = await PlatformClient.ProblemAsync(badFilter, HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]!["limit"]);
            Assert.NotNull(problem["errors"]!["kind"]);
        }

        // Nothing more reaches the provider afterwards.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await NotificationScenario.StubMessagesAsync(Client, @operator, mobile));
    }

    [Fact]
    public async Task A_return_sends_the_seeds_notice_to_the_provider_once_and_puts_the_feedback_in_the_message_centre()
    {
        var candidateId = Guid.NewGuid();
        var mobile = NotificationScenario.NewMobile();
        var candidate = await Client.CandidateTokenAsync(candidateId);
        var @operator = await Client.OperatorTokenAsync();

        await NotificationScenario.ReturnAsync(Client, candidateId, candidate, mobile, "身份证背面照片不清晰，请重新上传。");

        var sms = await NotificationScenario.WaitForSmsAsync(Client, candidateId, @operator,
            s => s["delivery"]!.GetValue<string>() == "Delivered", "the return notice to be delivered");
        Assert.Equal("【湖南考区】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。",
            sms["text"]!.GetValue<string>());
        Assert.Equal("review-returned", sms["template"]!.GetValue<string>());
        var received = Assert.Single(await NotificationScenario.StubMessagesAsync(Client, @operator, mobile));
        Assert.Equal("SMS_EXR0001", received!["templateCode"]!.GetValue<string>());
        Assert.Equal(sms["outId"]!.GetValue<string>(), received["outId"]!.GetValue<string>());

        var feedback = Assert.Single((await Client.GetJsonAsync("Notification", "/api/v1/notifications/me/messages?kind=feedback", candidate)).AsArray());
        Assert.StartsWith("身份证背面照片不清晰，请重新上传。（请于 ", feedback!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(feedback["read"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_undelivered_sms_is_listed_for_operators_and_a_retry_delivers_it()
    {
        var candidateId = Guid.NewGuid();
        var mobile = NotificationScenario.NewMobile();
        var candidate = await Client.CandidateTokenAsync(candidateId);
        var @operator = await Client.OperatorTokenAsync();
        await NotificationScenario.SetStubBehaviourAsync(Client, @operator, new { undeliverableNumbers = new[] { mobile } });
        try
        {
            await NotificationScenario.ApproveAsync(Client, candidateId, candidate, mobile);
            var undelivered = await NotificationScenario.WaitForSmsAsync(Client, candidateId, @operator,
                s => s["delivery"]!.GetValue<string>() == "Undelivered", "the carrier's failure report");
            Assert.Equal("MOBILE_NOT_ON_SERVICE", undelivered["deliveryError"]!.GetValue<string>());
            var smsId = undelivered["id"]!.GetValue<string>();
            var failed = (await Client.GetJsonAsync("Notification", "/api/v1/notifications/sms/failed", @operator)).AsArray();
            Assert.Contains(failed, f => f!["id"]!.GetValue<string>() == smsId);
        }
        finally
        {
            await NotificationScenario.SetStubBehaviourAsync(Client, @operator, new { });
        }

        var id = (await Client.SmsForAsync(candidateId, @operator))[0]!["id"]!.GetValue<string>();
        using (var retry = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/sms/{id}/retry", @operator))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }
        var delivered = await NotificationScenario.WaitForSmsAsync(Client, candidateId, @operator,
            s => s["delivery"]!.GetValue<string>() == "Delivered", "the resent SMS to be delivered");
        var atStub = await NotificationScenario.StubMessagesAsync(Client, @operator, mobile);
        Assert.Equal(2, atStub.Count);
        Assert.Equal(delivered["outId"]!.GetValue<string>(), atStub[1]!["outId"]!.GetValue<string>());
        Assert.NotEqual(atStub[0]!["outId"]!.GetValue<string>(), atStub[1]!["outId"]!.GetValue<string>());
        Assert.DoesNotContain((await Client.GetJsonAsync("Notification", "/api/v1/notifications/sms/failed", @operator)).AsArray(), f => f!["id"]!.GetValue<string>() == id);

        // Refusals: a delivered SMS is not retried, an unknown one is not found, a candidate may not ask.
        using (var again = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/sms/{id}/retry", @operator))
        {
            Assert.Equal("sms_not_failed", (await PlatformClient.ProblemAsync(again, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
        }
        using (var unknown = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/sms/{Guid.NewGuid()}/retry", @operator))
        {
            Assert.Equal("sms_not_found", (await PlatformClient.ProblemAsync(unknown, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        using (var forbidden = await Client.SendAsync(HttpMethod.Post, "Notification", $"/api/v1/notifications/sms/{id}/retry", candidate))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        var ops = await Client.GetJsonAsync("Notification", "/api/v1/notifications/ops/sms", @operator);
        Assert.False(ops["circuitOpen"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Templates_are_checked_when_loaded_and_a_broken_one_is_refused_naming_the_error()
    {
        var @operator = await Client.OperatorTokenAsync();
        var area = "T" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // An area Registration has not announced: no template, no sender (SmsTemplateLoadTests: a known one without a sender).
        using (var unknown = await PutAsync($"/api/v1/notifications/templates/{area}/review-approved", @operator, new { providerTemplateCode = "SMS_900001", body = "您的材料已审核通过。" }))
        {
            Assert.Equal("unknown_area", (await PlatformClient.ProblemAsync(unknown, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        }
        using (var created = await Client.SendAsync(HttpMethod.Put, "Registration", $"/api/v1/registrations/areas/{area}", @operator, JsonContent.Create(new { name = $"测试考区{area}" })))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.OK);
        }
        await Eventually.TrueAsync(async () =>
        {
            using var sender = await PutAsync($"/api/v1/notifications/areas/{area}/sender", @operator, new { senderName = "测试考区" });
            return sender.StatusCode == HttpStatusCode.OK;
        }, $"Notification to learn area {area}");
        using (var badSender = await PutAsync($"/api/v1/notifications/areas/{area}/sender", @operator, new { senderName = "【测试考区】" }))
        {
            Assert.Equal("validation", (await PlatformClient.ProblemAsync(badSender, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
        }

        using (var unknownVariable = await PutAsync($"/api/v1/notifications/templates/{area}/review-returned", @operator,
            new { providerTemplateCode = "SMS_900002", body = "请于 ${dueDate} 前处理。" }))
        {
            var problem = await PlatformClient.ProblemAsync(unknownVariable, HttpStatusCode.UnprocessableEntity);
            Assert.Equal("template_invalid", problem["code"]!.GetValue<string>());
            Assert.Contains("不能使用变量 ${dueDate}", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        using (var missingDeadline = await PutAsync($"/api/v1/notifications/templates/{area}/review-deadline-reminder", @operator,
            new { providerTemplateCode = "SMS_900003", body = "请尽快处理。" }))
        {
            Assert.Contains("必须包含变量 ${deadline}", (await PlatformClient.ProblemAsync(missingDeadline, HttpStatusCode.UnprocessableEntity))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // A batch with one broken template loads nothing.
        using (var batch = await PutAsync("/api/v1/notifications/templates", @operator, new
        {
            templates = new object[]
            {
                new { areaCode = area, template = "review-approved", providerTemplateCode = "SMS_900004", body = "您的材料已审核通过。" },
                new { areaCode = area, template = "review-rejected", providerTemplateCode = "SMS_900005", body = "【测试】未通过。" },
            },
        }))
        {
            var problem = await PlatformClient.ProblemAsync(batch, HttpStatusCode.UnprocessableEntity);
            Assert.NotNull(problem["errors"]!["templates[1].template"]);
        }
        var templates = (await Client.GetJsonAsync("Notification", "/api/v1/notifications/templates", @operator)).AsArray();
        Assert.DoesNotContain(templates, t => t!["areaCode"]!.GetValue<string>() == area);
        Assert.Contains(templates, t => t!["areaCode"]!.GetValue<string>() == "*" && t["template"]!.GetValue<string>() == "review-returned"
            && t["body"]!.GetValue<string>().StartsWith("您的医师资格考试报名材料照片，有新的审核通知", StringComparison.Ordinal));

        using (var good = await PutAsync($"/api/v1/notifications/templates/{area}/review-deadline-reminder", @operator,
            new { providerTemplateCode = "SMS_900006", body = "请于 ${deadline} 前修改报名材料。" }))
        {
            await PlatformClient.EnsureAsync(good, HttpStatusCode.OK);
            var view = await good.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal("【考区单位名称】请于 2027-03-01 18:00 前修改报名材料。", view!["preview"]!.GetValue<string>());
        }

        var candidate = await Client.CandidateTokenAsync(Guid.NewGuid());
        using var forbidden = await Client.SendAsync(HttpMethod.Get, "Notification", "/api/v1/notifications/templates", candidate);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private Task<HttpResponseMessage> PutAsync(string path, string token, object body) =>
        Client.SendAsync(HttpMethod.Put, "Notification", path, token, JsonContent.Create(body));
}
