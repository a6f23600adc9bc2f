using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// Registration owns the exam areas and sites; MaterialStorage, ReviewWorkflow and Notification learn them from its
/// announcements (ExamAreaChanged, ExamSiteChanged) and refuse a code it never announced instead of storing settings, a
/// catalog, a round, an SMS sender or template for it, falling back to the national catalog, or answering zero figures.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class UnknownPlaceTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    private async Task<JsonObject> RefusedAsync(HttpMethod method, string service, string path, string token, HttpStatusCode status, string code, HttpContent? content = null)
    {
        using var response = await Client.SendAsync(method, service, path, token, content);
        var problem = await PlatformClient.ProblemAsync(response, status);
        Assert.True(problem["code"]!.GetValue<string>() == code, $"{method} {path}: {problem.ToJsonString()}");
        return problem;
    }

    [Fact]
    public async Task Settings_catalogs_rounds_and_metrics_of_an_area_or_site_that_does_not_exist_are_refused_and_store_nothing()
    {
        // Well-formed codes Registration has no area or site for (its areas are 11, 43, 44 and 51 and what operators add).
        const string area = "98";
        const string site = "9801";
        var @operator = await Client.OperatorTokenAsync();
        const string materials = "MaterialStorage";
        const string reviews = "ReviewWorkflow";

        await RefusedAsync(HttpMethod.Put, materials, $"/api/v1/materials/areas/{area}/settings", @operator, HttpStatusCode.NotFound, "unknown_area",
            JsonContent.Create(new { submissionMode = "continuous" }));
        await RefusedAsync(HttpMethod.Get, materials, $"/api/v1/materials/areas/{area}/settings", @operator, HttpStatusCode.NotFound, "unknown_area");
        await RefusedAsync(HttpMethod.Put, materials, $"/api/v1/materials/catalogs/2027/{area}", @operator, HttpStatusCode.NotFound, "unknown_area",
            new StringContent("{}", Encoding.UTF8, "application/json"));
        var catalogs = await Client.GetJsonAsync(materials, "/api/v1/materials/catalogs", @operator);
        Assert.DoesNotContain(catalogs.AsArray(), c => c!["areaCode"]!.GetValue<string>() == area);

        await RefusedAsync(HttpMethod.Put, reviews, $"/api/v1/reviews/rounds/area/{area}/end-date", @operator, HttpStatusCode.NotFound, "unknown_area",
            JsonContent.Create(new { endsAt = DateTimeOffset.UtcNow.AddDays(7) }));
        await RefusedAsync(HttpMethod.Get, reviews, $"/api/v1/reviews/rounds/area/{area}", @operator, HttpStatusCode.NotFound, "unknown_area");
        await RefusedAsync(HttpMethod.Post, reviews, $"/api/v1/reviews/rounds/site/{site}/publish", @operator, HttpStatusCode.NotFound, "unknown_site");
        await RefusedAsync(HttpMethod.Get, reviews, $"/api/v1/reviews/metrics?areaCode={area}", @operator, HttpStatusCode.UnprocessableEntity, "unknown_area");
        await RefusedAsync(HttpMethod.Get, reviews, $"/api/v1/reviews/metrics?siteCode={site}", @operator, HttpStatusCode.UnprocessableEntity, "unknown_site");
        // A real site of another area is no site of this one.
        await RefusedAsync(HttpMethod.Get, reviews, "/api/v1/reviews/metrics?areaCode=43&siteCode=4401", @operator, HttpStatusCode.UnprocessableEntity, "unknown_site");
        await RefusedAsync(HttpMethod.Get, reviews, $"/api/v1/reviews/metrics/trends?areaCode={area}", @operator, HttpStatusCode.UnprocessableEntity, "unknown_area");

        var metrics = await Client.GetJsonAsync(reviews, "/api/v1/reviews/metrics?areaCode=43&siteCode=4301", @operator);
        Assert.Equal("4301", metrics["siteCode"]!.GetValue<string>());

        // The catalog asked for by area: not the national default an unknown area would fall back to; "*" still names that default.
        await RefusedAsync(HttpMethod.Get, materials, $"/api/v1/materials/catalog?examYear=2027&areaCode={area}", @operator, HttpStatusCode.NotFound, "unknown_area");
        var national = await Client.GetJsonAsync(materials, "/api/v1/materials/catalog?examYear=2027&areaCode=*", @operator);
        Assert.Equal("*", national["areaCode"]!.GetValue<string>());
        Assert.Equal("43", (await Client.GetJsonAsync(materials, "/api/v1/materials/catalog?examYear=2027&areaCode=43", @operator))["areaCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sms_senders_templates_previews_and_webhook_filters_of_an_area_that_does_not_exist_are_refused_and_store_nothing()
    {
        const string area = "98";
        const string notification = "Notification";
        var @operator = await Client.OperatorTokenAsync();
        var reviewer = await Client.SiteReviewerTokenAsync("4301");

        var sender = await RefusedAsync(HttpMethod.Put, notification, $"/api/v1/notifications/areas/{area}/sender", @operator, HttpStatusCode.NotFound, "unknown_area",
            JsonContent.Create(new { senderName = "错误考区" }));
        // Not "does not exist": the area may be one Registration created a moment ago and has not announced here yet.
        Assert.Contains("同步", sender["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await RefusedAsync(HttpMethod.Put, notification, $"/api/v1/notifications/templates/{area}/review-approved", @operator, HttpStatusCode.NotFound, "unknown_area",
            JsonContent.Create(new { providerTemplateCode = "SMS_900101", body = "您的材料已审核通过。" }));
        // A batch loads all or nothing; "*" (every area) is no unknown area.
        var batch = await RefusedAsync(HttpMethod.Put, notification, "/api/v1/notifications/templates", @operator, HttpStatusCode.UnprocessableEntity, "unknown_area",
            JsonContent.Create(new
            {
                templates = new object[]
                {
                    new { areaCode = "*", template = "review-approved", providerTemplateCode = "SMS_EXR0002", body = "您的医师资格考试报名材料已审核通过，请登陆报名网站查看。" },
                    new { areaCode = area, template = "review-approved", providerTemplateCode = "SMS_900102", body = "您的材料已审核通过。" },
                },
            }));
        Assert.Equal(["templates[1].areaCode"], batch["errors"]!.AsObject().Select(e => e.Key));
        await RefusedAsync(HttpMethod.Get, notification, $"/api/v1/notifications/sms/preview?template=review-returned&areaCode={area}", reviewer,
            HttpStatusCode.NotFound, "unknown_area");
        await RefusedAsync(HttpMethod.Get, notification, $"/api/v1/notifications/webhooks/endpoints?areaCode={area}", @operator,
            HttpStatusCode.UnprocessableEntity, "unknown_area");

        var senders = (await Client.GetJsonAsync(notification, "/api/v1/notifications/areas", @operator)).AsArray();
        Assert.DoesNotContain(senders, s => s!["areaCode"]!.GetValue<string>() == area);
        var templates = (await Client.GetJsonAsync(notification, "/api/v1/notifications/templates", @operator)).AsArray();
        Assert.DoesNotContain(templates, t => t!["areaCode"]!.GetValue<string>() == area);
        // A known area answers as before.
        Assert.NotNull((await Client.GetJsonAsync(notification, "/api/v1/notifications/webhooks/endpoints?areaCode=43", @operator)).AsArray());
    }

    [Fact]
    public async Task An_area_and_site_created_in_Registration_are_accepted_once_announced()
    {
        var @operator = await Client.OperatorTokenAsync();
        var area = "N" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();
        var site = area + "S1";
        using (var created = await Client.SendAsync(HttpMethod.Put, "Registration", $"/api/v1/registrations/areas/{area}", @operator, JsonContent.Create(new { name = $"新考区{area}" })))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.OK);
        }
        using (var created = await Client.SendAsync(HttpMethod.Put, "Registration", $"/api/v1/registrations/areas/{area}/sites/{site}", @operator, JsonContent.Create(new { name = "新考点" })))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.OK);
        }

        async Task<bool> AnsweredAsync(HttpMethod method, string service, string path, HttpContent? content = null)
        {
            using var response = await Client.SendAsync(method, service, path, @operator, content);
            return response.StatusCode == HttpStatusCode.OK;
        }
        await Eventually.TrueAsync(() => AnsweredAsync(HttpMethod.Put, "MaterialStorage", $"/api/v1/materials/areas/{area}/settings",
            JsonContent.Create(new { submissionMode = "continuous" })), "MaterialStorage to learn the new area");
        await Eventually.TrueAsync(() => AnsweredAsync(HttpMethod.Get, "ReviewWorkflow", $"/api/v1/reviews/metrics?areaCode={area}&siteCode={site}"),
            "ReviewWorkflow to learn the new area and site");
        Assert.True(await AnsweredAsync(HttpMethod.Get, "ReviewWorkflow", $"/api/v1/reviews/rounds/area/{area}"));
        Assert.True(await AnsweredAsync(HttpMethod.Get, "ReviewWorkflow", $"/api/v1/reviews/rounds/site/{site}"));
        // The area has no catalog of its own: it gets the national default, as every such area does.
        Assert.True(await AnsweredAsync(HttpMethod.Get, "MaterialStorage", $"/api/v1/materials/catalog?examYear=2027&areaCode={area}"));

        await Eventually.TrueAsync(() => AnsweredAsync(HttpMethod.Put, "Notification", $"/api/v1/notifications/areas/{area}/sender",
            JsonContent.Create(new { senderName = "新考区招生办" })), "Notification to learn the new area");
        Assert.True(await AnsweredAsync(HttpMethod.Put, "Notification", $"/api/v1/notifications/templates/{area}/review-approved",
            JsonContent.Create(new { providerTemplateCode = "SMS_900103", body = "您的材料已审核通过。" })));
        Assert.True(await AnsweredAsync(HttpMethod.Get, "Notification", $"/api/v1/notifications/webhooks/endpoints?areaCode={area}"));
        var preview = await Client.GetJsonAsync("Notification", $"/api/v1/notifications/sms/preview?template=review-approved&areaCode={area}",
            await Client.SiteReviewerTokenAsync("4301"));
        Assert.Equal("【新考区招生办】您的材料已审核通过。", preview["text"]!.GetValue<string>());
    }
}
