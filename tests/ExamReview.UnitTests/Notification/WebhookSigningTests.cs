using ExamReview.Notification.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Notification signs with its own HMAC code; the StandardWebhooks package (an independent implementation of the
/// convention) is the oracle that must accept what it signs — with each secret of a rotation on its own — and refuse
/// tampering, other secrets and stale timestamps (the 5-minute replay window a receiver applies).
/// </summary>
public sealed class WebhookSigningTests
{
    private const string Body = """{"type":"application.approved","timestamp":"2027-01-15T08:10:00+00:00","data":{"candidateId":"8d3c0f3e-3f4a-4c59-9d9e-6f1f2b0b7a11","areaCode":"43","sequence":1}}""";

    [Fact]
    public void A_signature_made_here_is_accepted_by_the_StandardWebhooks_library()
    {
        var secret = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var headers = Sign("msg_2b4c", DateTimeOffset.UtcNow, Body, secret);

        Assert.StartsWith("whsec_", secret.Display);
        Assert.StartsWith("v1,", headers[WebhookSigner.SignatureHeader].ToString());
        new StandardWebhook(secret.Display).Verify(Body, headers); // throws when it does not verify
    }

    [Fact]
    public void The_signature_matches_the_published_Standard_Webhooks_test_vector()
    {
        var key = Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSigner.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), """{"test": 2432232314}""", [key]));
    }

    [Fact]
    public void During_a_rotation_each_secret_alone_verifies_and_an_unrelated_one_does_not()
    {
        var old = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(-30));
        var current = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var headers = Sign("msg_rotation", DateTimeOffset.UtcNow, Body, current, old);

        Assert.Equal(2, headers[WebhookSigner.SignatureHeader].ToString().Split(' ').Length);
        Assert.True(StandardWebhooksOracle.Verifies(old.Display, Body, headers));
        Assert.True(StandardWebhooksOracle.Verifies(current.Display, Body, headers));
        var stranger = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow);
        Assert.False(StandardWebhooksOracle.Verifies(stranger.Display, Body, headers));
    }

    [Fact]
    public void A_changed_body_or_id_fails_verification()
    {
        var secret = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var headers = Sign("msg_1", DateTimeOffset.UtcNow, Body, secret);
        var webhook = new StandardWebhook(secret.Display);

        Assert.Throws<WebhookVerificationException>(() => webhook.Verify(Body.Replace("approved", "rejected", StringComparison.Ordinal), headers));
        headers[WebhookSigner.IdHeader] = "msg_2";
        Assert.Throws<WebhookVerificationException>(() => webhook.Verify(Body, headers));
    }

    [Fact]
    public void A_timestamp_older_than_the_five_minute_window_is_refused()
    {
        var secret = WebhookSecret.Issue(Guid.NewGuid(), DateTimeOffset.UtcNow);
        var webhook = new StandardWebhook(secret.Display);

        webhook.Verify(Body, Sign("msg_fresh", DateTimeOffset.UtcNow.AddMinutes(-4), Body, secret));
        Assert.Throws<WebhookVerificationException>(() => webhook.Verify(Body, Sign("msg_old", DateTimeOffset.UtcNow.AddMinutes(-6), Body, secret)));
    }

    [Fact]
    public void Rotation_keeps_the_previous_secret_signing_for_the_overlap_only()
    {
        var start = new DateTimeOffset(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
        var endpoint = new WebhookEndpoint { Id = Guid.NewGuid() };
        var first = endpoint.RotateSecret(start, TimeSpan.Zero);
        var second = endpoint.RotateSecret(start.AddDays(10), TimeSpan.FromHours(24));

        Assert.Equal([second.Id, first.Id], endpoint.SigningSecrets(start.AddDays(10).AddHours(23)).Select(s => s.Id));
        Assert.Equal([second.Id], endpoint.SigningSecrets(start.AddDays(11)).Select(s => s.Id));
        var third = endpoint.RotateSecret(start.AddDays(12), TimeSpan.FromHours(1));
        Assert.DoesNotContain(endpoint.Secrets, s => s.Id == first.Id); // expired secrets are dropped at the next rotation
        Assert.Equal([third.Id, second.Id], endpoint.SigningSecrets(start.AddDays(12)).Select(s => s.Id));
        Assert.NotEqual(second.Display, third.Display);
    }

    private static WebhookTargetPolicy Targets(bool allowLoopback = false, params string[] allowedNetworks) =>
        new(Options.Create(new WebhookTargetOptions { AllowLoopback = allowLoopback, AllowedNetworks = [.. allowedNetworks] }));

    [Theory]
    [InlineData("https://sync.example.cn/hook", null)]
    [InlineData("https://202.96.128.86:8443/hook?token=x", null)]
    [InlineData("http://127.0.0.1:5000/hook", null)]
    [InlineData("http://localhost/hook", null)]
    [InlineData("http://[::1]:8080/hook", null)]
    [InlineData("http://example.cn/hook", WebhookUrlRefusal.Insecure)]
    [InlineData("http://202.96.128.86/hook", WebhookUrlRefusal.Insecure)]
    [InlineData("http://127.0.0.1.example.cn/hook", WebhookUrlRefusal.Insecure)]
    [InlineData("https://10.0.0.5/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("ftp://example.cn/hook", WebhookUrlRefusal.Invalid)]
    [InlineData("https://user:pass@example.cn/hook", WebhookUrlRefusal.Invalid)]
    [InlineData("/relative/hook", WebhookUrlRefusal.Invalid)]
    [InlineData("", WebhookUrlRefusal.Invalid)]
    public void With_loopback_allowed_receivers_are_https_or_loopback_http(string url, WebhookUrlRefusal? expected) =>
        Assert.Equal(expected, WebhookUrls.Check(url, Targets(allowLoopback: true)));

    [Theory]
    [InlineData("https://sync.example.cn/hook", null)] // a name: checked on what it resolves to, at every connection
    [InlineData("https://202.96.128.86/hook", null)]
    [InlineData("https://[2400:3200::1]/hook", null)]
    [InlineData("http://127.0.0.1:5000/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://localhost/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://[::1]/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://10.1.2.3:8443/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://172.20.0.1/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://192.168.1.10/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://169.254.169.254/latest/meta-data", WebhookUrlRefusal.Forbidden)] // a cloud's metadata service
    [InlineData("https://100.64.0.1/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://0.0.0.0/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://[fd00::1]/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://[fe80::1]/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://[::ffff:10.0.0.1]/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://224.0.0.1/hook", WebhookUrlRefusal.Forbidden)]
    [InlineData("https://[64:ff9b:1::a00:1]/hook", WebhookUrlRefusal.Forbidden)] // local NAT64 to 10.0.0.1
    [InlineData("https://[2002:a00:1::1]/hook", WebhookUrlRefusal.Forbidden)] // 6to4 of 10.0.0.1
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook", WebhookUrlRefusal.Forbidden)] // Teredo
    [InlineData("https://[::a00:1]/hook", WebhookUrlRefusal.Forbidden)] // IPv4-compatible 10.0.0.1
    [InlineData("https://192.88.99.1/hook", WebhookUrlRefusal.Forbidden)] // the 6to4 relay anycast
    public void In_production_no_receiver_is_inside_the_platforms_network(string url, WebhookUrlRefusal? expected) =>
        Assert.Equal(expected, WebhookUrls.Check(url, Targets()));

    [Fact]
    public void A_provinces_private_line_is_reachable_once_its_network_is_allowed_and_only_that_network()
    {
        var targets = Targets(false, "10.20.0.0/16", "fd12:3456::/32");

        Assert.Null(WebhookUrls.Check("https://10.20.1.5/hook", targets));
        Assert.Null(WebhookUrls.Check("https://[fd12:3456::7]/hook", targets));
        Assert.Equal(WebhookUrlRefusal.Forbidden, WebhookUrls.Check("https://10.21.0.1/hook", targets));
        Assert.Equal(WebhookUrlRefusal.Forbidden, WebhookUrls.Check("https://127.0.0.1/hook", targets));
        Assert.Throws<OptionsValidationException>(() => Targets(false, "10.20.0.0/33"));
    }

    [Fact]
    public async Task A_host_name_that_resolves_inside_is_refused_at_connection_before_any_byte_is_sent()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://localhost:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/hook";

        // As the delivery client connects (NotificationModule): through the policy's ConnectAsync.
        using var productionHandler = new SocketsHttpHandler { ConnectCallback = Targets().ConnectAsync };
        using (var production = new HttpClient(productionHandler, disposeHandler: false))
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => production.GetAsync(url));
            Assert.Contains(WebhookTargetOptions.Section, refused.Message + refused.InnerException?.Message, StringComparison.Ordinal);
            Assert.False(listener.Pending()); // nothing reached the listener
        }

        using var developmentHandler = new SocketsHttpHandler { ConnectCallback = Targets(allowLoopback: true).ConnectAsync };
        using var development = new HttpClient(developmentHandler, disposeHandler: false);
        var answer = development.GetAsync(url);
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await accepted.GetStream().WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        using var response = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    private static HeaderDictionary Sign(string id, DateTimeOffset at, string body, params WebhookSecret[] secrets) => new()
    {
        [WebhookSigner.IdHeader] = id,
        [WebhookSigner.TimestampHeader] = WebhookSigner.Timestamp(at),
        [WebhookSigner.SignatureHeader] = WebhookSigner.Sign(id, at, body, secrets.Select(s => s.Key)),
    };
}

