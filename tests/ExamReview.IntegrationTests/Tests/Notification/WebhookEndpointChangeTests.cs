using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Who may change a province's webhook endpoint, and what a replay must name: operators pause and resume any area's
/// endpoint but never repoint it, resubscribe it or rename it (the province's events would go where it did not say);
/// a replay of failed deliveries without its start is refused, never read as "every failure ever".
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookEndpointChangeTests(PostgresContainer postgres)
{
    private const string Endpoints = "/api/v1/notifications/webhooks/endpoints";
    private const string ProvinceUrl = "https://sync.hunan-exam.example.cn/hook";

    [Fact]
    public async Task Operators_pause_and_resume_a_provinces_endpoint_but_cannot_repoint_resubscribe_or_rename_it()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var @operator = host.Token("ops", Roles.Operator);
        var (created, body) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = ProvinceUrl, eventTypes = new[] { WebhookEventTypes.Approved }, description = "湖南报名系统" });
        Assert.Equal(201, created);
        var endpoint = $"{Endpoints}/{body!["endpoint"]!["id"]!.GetValue<Guid>()}";

        foreach (var change in new object[]
        {
            new { url = "https://collector.example.com/hook" },
            new { eventTypes = WebhookEventTypes.All.Keys.ToArray() },
            new { description = "已迁移" },
            new { url = "https://collector.example.com/hook", enabled = false }, // a pause carrying a change is refused whole
            new { url = "http://10.0.0.5/hook" }, // who may ask comes before what is wrong with the value
        })
        {
            var (status, problem) = await host.SendAsync(HttpMethod.Patch, endpoint, @operator, change);
            Assert.Equal(403, status);
            Assert.Equal("webhook_operator_pause_only", problem!["code"]!.GetValue<string>());
            Assert.Contains("运营人员只能暂停或恢复", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var stored = await host.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync());
        Assert.Equal((ProvinceUrl, WebhookEventTypes.Approved, "湖南报名系统", true), (stored.Url, stored.EventTypes, stored.Description, stored.Enabled));

        var (paused, pausedView) = await host.SendAsync(HttpMethod.Patch, endpoint, @operator, new { enabled = false });
        Assert.Equal(200, paused);
        Assert.False(pausedView!["enabled"]!.GetValue<bool>());
        var (resumed, resumedView) = await host.SendAsync(HttpMethod.Patch, endpoint, @operator, new { enabled = true });
        Assert.Equal(200, resumed);
        Assert.True(resumedView!["enabled"]!.GetValue<bool>());
        Assert.Equal(ProvinceUrl, resumedView["url"]!.GetValue<string>());

        // The province itself changes its own endpoint freely.
        var (moved, movedView) = await host.SendAsync(HttpMethod.Patch, endpoint, hunan, new { url = "https://sync2.hunan-exam.example.cn/hook", description = "新地址" });
        Assert.Equal(200, moved);
        Assert.Equal("https://sync2.hunan-exam.example.cn/hook", movedView!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_area_registers_a_receiver_url_once_while_it_is_enabled()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var guangdong = host.Token("guangdong-sync", Roles.Province, "44");
        var approved = new[] { WebhookEventTypes.Approved };
        var (created, body) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = ProvinceUrl, eventTypes = approved });
        Assert.Equal(201, created);
        var first = $"{Endpoints}/{body!["endpoint"]!["id"]!.GetValue<Guid>()}";

        // The same receiver written differently: refused whole, nothing stored.
        var (duplicate, problem) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = "HTTPS://SYNC.Hunan-Exam.example.cn:443/hook/", eventTypes = approved });
        Assert.Equal(409, duplicate);
        Assert.Equal("webhook_url_duplicate", problem!["code"]!.GetValue<string>());
        Assert.StartsWith("本考区已有启用中的接收地址使用该 URL", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await host.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.AreaCode == "43")));

        // Another area's receiver is its own; another URL of this area may not be moved onto the first one.
        Assert.Equal(201, (await host.SendAsync(HttpMethod.Post, Endpoints, guangdong, new { url = ProvinceUrl, eventTypes = approved })).Item1);
        var (_, otherBody) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = "https://backup.hunan-exam.example.cn/hook", eventTypes = approved });
        var other = $"{Endpoints}/{otherBody!["endpoint"]!["id"]!.GetValue<Guid>()}";
        var (moved, movedProblem) = await host.SendAsync(HttpMethod.Patch, other, hunan, new { url = ProvinceUrl + "/" });
        Assert.Equal((409, "webhook_url_duplicate"), (moved, movedProblem!["code"]!.GetValue<string>()));

        // Paused, the address may be registered afresh; the paused one then cannot be resumed beside it.
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Patch, first, hunan, new { enabled = false })).Item1);
        var (again, againBody) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = ProvinceUrl, eventTypes = approved });
        Assert.Equal(201, again);
        var (resumed, resumedProblem) = await host.SendAsync(HttpMethod.Patch, first, hunan, new { enabled = true });
        Assert.Equal((409, "webhook_url_duplicate"), (resumed, resumedProblem!["code"]!.GetValue<string>()));

        // Deleted, it is gone: the address may be registered again.
        Assert.Equal(204, (await host.SendAsync(HttpMethod.Delete, $"{Endpoints}/{againBody!["endpoint"]!["id"]!.GetValue<Guid>()}", hunan)).Item1);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Patch, first, hunan, new { enabled = true })).Item1);
    }

    [Fact]
    public async Task A_replay_of_failed_deliveries_without_its_start_is_refused_naming_the_field()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var (_, body) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = ProvinceUrl, eventTypes = new[] { WebhookEventTypes.Approved } });
        var endpoint = $"{Endpoints}/{body!["endpoint"]!["id"]!.GetValue<Guid>()}";

        var (status, problem) = await host.SendAsync(HttpMethod.Post, $"{endpoint}/replay", hunan, new { });
        Assert.Equal(400, status);
        Assert.Equal("validation", problem!["code"]!.GetValue<string>());
        Assert.Contains("since", problem["errors"]!.AsObject().Select(e => e.Key));

        var (named, replayed) = await host.SendAsync(HttpMethod.Post, $"{endpoint}/replay", hunan, new { since = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(200, named);
        Assert.Equal(0, replayed!["replayed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_area_stop_at_its_limit_on_PostgreSQL_too()
    {
        // The area's advisory lock: without it each request counted the endpoints before the others committed.
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var statuses = await Task.WhenAll(Enumerable.Range(0, WebhookEndpoint.MaxPerArea + 6).Select(async i =>
            (await host.SendAsync(HttpMethod.Post, Endpoints, hunan, new { url = $"https://hook{i}.hunan-exam.example.cn/hook", eventTypes = new[] { WebhookEventTypes.Approved } })).Item1));

        Assert.Equal(WebhookEndpoint.MaxPerArea, statuses.Count(s => s == 201));
        Assert.All(statuses.Where(s => s != 201), s => Assert.Equal(409, s));
        Assert.Equal(WebhookEndpoint.MaxPerArea, await host.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.AreaCode == "43")));
    }
}
