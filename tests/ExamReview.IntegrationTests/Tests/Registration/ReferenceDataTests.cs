using System.Net;
using System.Net.Http.Json;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>Operators maintain exam areas and sites; what a save answers is the area as stored.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class ReferenceDataTests(EmbeddedPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task Renaming_an_area_answers_it_with_its_sites_not_an_empty_list()
    {
        // The answer used to say "sites": [] for every area, so a console saving a new name showed its sites gone.
        var @operator = await Client.OperatorTokenAsync();
        var area = "R" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();
        await PutAsync($"/api/v1/registrations/areas/{area}", new { name = "新考区" });
        await PutAsync($"/api/v1/registrations/areas/{area}/sites/{area}S1", new { name = "第一考点" });

        var renamed = await PutAsync($"/api/v1/registrations/areas/{area}", new { name = "改名后的考区" });

        Assert.Equal("改名后的考区", renamed["name"]!.GetValue<string>());
        var site = Assert.Single(renamed["sites"]!.AsArray());
        Assert.Equal((area + "S1", "第一考点"), (site!["code"]!.GetValue<string>(), site["name"]!.GetValue<string>()));

        async Task<System.Text.Json.Nodes.JsonNode> PutAsync(string path, object body)
        {
            using var response = await Client.SendAsync(HttpMethod.Put, "Registration", path, @operator, JsonContent.Create(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
        }
    }
}
