using ExamReview.Notification.Webhooks;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// An area registers a receiver URL once among its enabled endpoints: the same address written differently (scheme or
/// host case, the default port, a trailing slash) is the same receiver; a different path, query or port is not.
/// </summary>
public sealed class WebhookDuplicateUrlTests
{
    private const string Registered = "https://sync.hunan-exam.example.cn/hook";

    private static WebhookEndpoint Endpoint(string url, bool enabled = true) => new() { Id = Guid.NewGuid(), AreaCode = "43", Url = url, Enabled = enabled };

    [Theory]
    [InlineData("https://sync.hunan-exam.example.cn/hook")]
    [InlineData("HTTPS://SYNC.Hunan-Exam.example.CN/hook")]
    [InlineData("https://sync.hunan-exam.example.cn:443/hook")]
    [InlineData("https://sync.hunan-exam.example.cn/hook/")]
    [InlineData(" https://sync.hunan-exam.example.cn:443/hook/ ")]
    public void The_same_receiver_written_differently_is_a_duplicate(string url)
    {
        var existing = Endpoint(Registered);
        Assert.Same(existing, WebhookEndpoint.DuplicateOf([existing], url));
    }

    [Theory]
    [InlineData("https://sync.hunan-exam.example.cn/Hook")] // paths are case-sensitive on the receiver
    [InlineData("https://sync.hunan-exam.example.cn/hook?feed=b")]
    [InlineData("https://sync.hunan-exam.example.cn:8443/hook")]
    [InlineData("http://sync.hunan-exam.example.cn/hook")]
    [InlineData("https://sync2.hunan-exam.example.cn/hook")]
    public void A_different_receiver_is_not(string url) =>
        Assert.Null(WebhookEndpoint.DuplicateOf([Endpoint(Registered)], url));

    [Fact]
    public void A_disabled_endpoint_and_the_endpoint_itself_do_not_count()
    {
        var paused = Endpoint(Registered, enabled: false);
        Assert.Null(WebhookEndpoint.DuplicateOf([paused], Registered));

        var self = Endpoint(Registered);
        Assert.Null(WebhookEndpoint.DuplicateOf([self, paused], Registered + "/", except: self.Id));
        Assert.Same(self, WebhookEndpoint.DuplicateOf([self, paused], Registered + "/", except: paused.Id));
    }

    [Fact]
    public void The_normal_form_writes_the_default_port_and_drops_the_trailing_slash()
    {
        Assert.Equal("https://example.cn:443", WebhookUrls.Normalise("HTTPS://Example.CN/"));
        Assert.Equal("http://127.0.0.1:80/a/B?x=Y", WebhookUrls.Normalise("http://127.0.0.1/a/B/?x=Y"));
    }
}
