using System.Net;
using System.Net.Http.Json;
using System.Text;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Materials;

namespace ExamReview.IntegrationTests.Tests.Review;

/// <summary>
/// Times at the edge of what .NET represents are refused with a 400 naming the parameter, not a 500: the metrics' and
/// trends' default period (thirty or fourteen days before <c>to</c>), the trends' Beijing days and the SMS preview's
/// deadline on Beijing's clock could not be formed.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class OutOfRangeTimeTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Theory]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/metrics?to=0001-01-10T00:00:00Z", "to")]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/metrics/trends?to=0001-01-10T00:00:00Z", "to")]
    [InlineData("ReviewWorkflow", "/api/v1/reviews/metrics/trends?from=9999-12-30T00:00:00Z&to=9999-12-31T23:00:00Z", "from")]
    [InlineData("Notification", "/api/v1/notifications/sms/preview?template=review-returned&areaCode=43&deadline=9999-12-31T23:00:00Z", "deadline")]
    public async Task A_time_outside_the_years_2000_to_2099_is_a_400_naming_it(string service, string path, string field)
    {
        // The SMS preview is for reviewers (before a return); the metrics for operators.
        var token = service == "Notification" ? await Client.SiteReviewerTokenAsync("4301") : await Client.OperatorTokenAsync();

        using var response = await Client.SendAsync(HttpMethod.Get, service, path, token);

        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Contains("2000 年至 2099 年", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2207-03-01T18:00:00+08:00")]
    public async Task A_rounds_end_date_past_2099_is_a_400_and_the_round_keeps_its_date(string endsAt)
    {
        // A slip of the year was stored: the round's held results then waited for it, and no candidate learnt one.
        var (area, _) = await new MaterialSteps(Client).NewAreaAsync();
        var token = await Client.OperatorTokenAsync();
        var round = $"/api/v1/reviews/rounds/area/{area}";
        await Eventually.TrueAsync(async () =>
        {
            using var known = await Client.SendAsync(HttpMethod.Get, "ReviewWorkflow", round, token);
            return known.StatusCode == HttpStatusCode.OK;
        }, $"ReviewWorkflow to learn area {area}");
        var scheduled = DateTimeOffset.UtcNow.AddDays(7);
        using (var set = await Client.SendAsync(HttpMethod.Put, "ReviewWorkflow", round + "/end-date", token, JsonContent.Create(new { endsAt = scheduled })))
        {
            await PlatformClient.EnsureAsync(set, HttpStatusCode.OK);
        }

        using var response = await Client.SendAsync(HttpMethod.Put, "ReviewWorkflow", round + "/end-date", token,
            new StringContent($$"""{ "endsAt": "{{endsAt}}" }""", Encoding.UTF8, "application/json"));

        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey("endsAt"), problem.ToJsonString());
        Assert.Contains("2000 年至 2099 年", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var stored = await Client.GetJsonAsync("ReviewWorkflow", round, token);
        Assert.Equal(scheduled.ToUnixTimeMilliseconds(), stored["endsAt"]!.GetValue<DateTimeOffset>().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_deadline_in_chinas_offset_is_previewed_on_beijings_clock()
    {
        var token = await Client.SiteReviewerTokenAsync("4301");

        using var response = await Client.SendAsync(HttpMethod.Get, "Notification",
            "/api/v1/notifications/sms/preview?template=review-returned&areaCode=43&deadline=2027-01-16T15:40:00%2B08:00", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
