using System.Net;
using System.Text;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// A time without an offset names no single instant (the server would read it in its own time zone): refused with 400
/// <c>time_without_offset</c> naming the field, in the query (a handler's own parameter or an <c>[AsParameters]</c>
/// record's) and in a JSON body, before any handler runs; the same time with an offset is answered.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class TimeWithoutOffsetTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Theory]
    [InlineData("/api/v1/reviews/metrics?from=2027-03-01T00:00:00&to=2027-03-08T00:00:00Z", "from", "operator")]
    [InlineData("/api/v1/reviews/metrics/trends?to=2027-03-08", "to", "operator")]
    [InlineData("/api/v1/reviews/cases?submittedFrom=2027-03-01T08:00:00", "submittedFrom", "reviewer")]
    public async Task A_query_time_without_an_offset_is_refused_naming_it(string path, string field, string who)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "ReviewWorkflow", path, await TokenAsync(who));

        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("time_without_offset", problem["code"]!.GetValue<string>());
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.StartsWith($"时间 {field} 没有写时区", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/reviews/metrics?from=2027-03-01T00:00:00%2B08:00&to=2027-03-08T00:00:00Z", "operator")]
    [InlineData("/api/v1/reviews/cases?submittedFrom=2027-03-01T08:00:00%2B08:00", "reviewer")]
    public async Task The_same_query_with_an_offset_is_answered(string path, string who)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "ReviewWorkflow", path, await TokenAsync(who));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_query_value_that_is_no_time_at_all_keeps_the_format_problem()
    {
        using var response = await Client.SendAsync(HttpMethod.Get, "ReviewWorkflow", "/api/v1/reviews/metrics?from=yesterday", await TokenAsync("operator"));

        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("bad_request", problem["code"]!.GetValue<string>());
        Assert.Equal("from", problem["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_time_without_an_offset_is_refused_naming_the_field()
    {
        using var response = await Client.SendAsync(HttpMethod.Put, "ReviewWorkflow", "/api/v1/reviews/rounds/area/Z9/end-date", // an area nobody has: refused before it is looked up
            await TokenAsync("operator"), new StringContent("""{ "endsAt": "2027-03-01T18:00:00" }""", Encoding.UTF8, "application/json"));

        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("time_without_offset", problem["code"]!.GetValue<string>());
        Assert.Equal("endsAt", problem["field"]!.GetValue<string>());
    }

    private Task<string> TokenAsync(string who) => who == "operator" ? Client.OperatorTokenAsync() : Client.SiteReviewerTokenAsync("4301");
}
