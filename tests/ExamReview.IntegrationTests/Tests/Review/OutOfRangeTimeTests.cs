using System.Net;
using ExamReview.IntegrationTests.Platform;

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

    [Fact]
    public async Task A_deadline_in_chinas_offset_is_previewed_on_beijings_clock()
    {
        var token = await Client.SiteReviewerTokenAsync("4301");

        using var response = await Client.SendAsync(HttpMethod.Get, "Notification",
            "/api/v1/notifications/sms/preview?template=review-returned&areaCode=43&deadline=2027-01-16T15:40:00%2B08:00", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
