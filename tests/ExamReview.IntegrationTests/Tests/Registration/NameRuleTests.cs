using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// The name rule over HTTP: a name with a digit or an emoji is refused with a Chinese problem naming <c>fullName</c>,
/// from a registration and from a correction alike, and nothing is stored; a name with rare characters (CJK
/// Extension B) or a Hong Kong identity card's comma (CHAN, Tai Man) is taken and read back as typed.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class NameRuleTests(EmbeddedPlatform platform)
{
    private const string Registration = "Registration";

    [Theory]
    [InlineData("张三😀")]
    [InlineData("张三1")]
    [InlineData("·张三")]
    [InlineData("CHAN,Tai Man")]
    public async Task A_registration_whose_name_has_a_digit_an_emoji_or_a_stray_dot_is_refused_and_nothing_is_stored(string name)
    {
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using var response = await platform.Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", token, JsonContent.Create(Body(name)));

        AssertNamesTheNameRule(await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest));
        using var mine = await platform.Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/me", token);
        Assert.Equal(HttpStatusCode.NotFound, mine.StatusCode);
    }

    [Fact]
    public async Task A_correction_to_a_name_with_an_emoji_is_refused_before_anything_is_looked_up()
    {
        var site = await platform.Client.SiteReviewerTokenAsync("4301");
        using var response = await platform.Client.SendAsync(HttpMethod.Post, Registration, $"/api/v1/registrations/{Guid.NewGuid()}/corrections", site,
            JsonContent.Create(new { fullName = "张三😀", reason = "核对身份证" }));

        AssertNamesTheNameRule(await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("王𠀾𡃁")]
    [InlineData("CHAN, Tai Man")] // as a Hong Kong identity card prints it
    public async Task A_name_with_rare_characters_or_a_surname_comma_is_taken_and_read_back_as_typed(string name)
    {
        var token = await platform.Client.CandidateTokenAsync(Guid.NewGuid());
        using (var response = await platform.Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", token, JsonContent.Create(Body(name))))
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var mine = await platform.Client.GetJsonAsync(Registration, "/api/v1/registrations/me", token);
        Assert.Equal(name, mine["fullName"]!.GetValue<string>());
    }

    private static JsonObject Body(string name)
    {
        var body = JsonSerializer.SerializeToNode(PlatformClient.RegistrationBody(), JsonSerializerOptions.Web)!.AsObject();
        body["fullName"] = name;
        return body;
    }

    private static void AssertNamesTheNameRule(JsonObject problem)
    {
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        var messages = problem["errors"]?["fullName"]?.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.True(messages is [_], $"expected one problem with fullName: {problem.ToJsonString()}");
        Assert.StartsWith("姓名只能由文字组成", messages[0], StringComparison.Ordinal);
        Assert.Equal(["fullName"], problem["errors"]!.AsObject().Select(e => e.Key));
    }
}
