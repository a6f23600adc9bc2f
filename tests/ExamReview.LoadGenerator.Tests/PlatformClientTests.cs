using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class PlatformClientTests
{
    private static readonly Dictionary<string, Uri> Services = new() { ["MaterialStorage"] = new Uri("http://127.0.0.1:9/") };

    [Fact]
    public async Task The_wait_a_refusal_names_reaches_the_caller_and_the_refusal_is_still_counted()
    {
        using var handler = new Answering(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            {
                Content = new StringContent("""{"code":"application_pending","detail":"报名信息正在同步到材料系统，请稍候几秒再试。"}""", Encoding.UTF8, "application/problem+json"),
            };
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return response;
        });
        using var http = new HttpClient(handler);
        var recorder = new Recorder();

        var reply = await new PlatformClient(http, Services, recorder).SendAsync("GET page", HttpMethod.Get, "MaterialStorage", "/api/v1/materials/candidates/x", "token");

        Assert.Equal(503, reply.Status);
        Assert.False(reply.Ok);
        Assert.Equal(TimeSpan.FromSeconds(2), reply.RetryAfter);
        Assert.Equal("application_pending", reply.Body!["code"]!.GetValue<string>());
        Assert.Equal(1, recorder["GET page"].Snapshot().Statuses[503]); // a refusal, whatever it asks the caller to do next
        Assert.Equal("Bearer", handler.Seen!.Headers.Authorization!.Scheme);
    }

    [Fact]
    public async Task An_answer_that_names_no_wait_leaves_the_caller_its_own()
    {
        using var handler = new Answering(() => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
        using var http = new HttpClient(handler);

        var reply = await new PlatformClient(http, Services, new Recorder()).SendAsync("GET page", HttpMethod.Get, "MaterialStorage", "/api/v1/materials/candidates/x", null);

        Assert.True(reply.Ok);
        Assert.Null(reply.RetryAfter);
    }

    [Fact]
    public async Task A_wait_named_as_a_date_becomes_the_time_left_until_it()
    {
        using var handler = new Answering(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(30));
            return response;
        });
        using var http = new HttpClient(handler);

        var reply = await new PlatformClient(http, Services, new Recorder()).SendAsync("GET page", HttpMethod.Get, "MaterialStorage", "/api/v1/materials/candidates/x", null);

        // An HTTP date has whole seconds, and the clock moves on while the answer is read.
        Assert.InRange(reply.RetryAfter!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    private sealed class Answering(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Seen { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen = request;
            return Task.FromResult(answer());
        }
    }
}
