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

    [Fact]
    public async Task A_new_area_or_site_code_that_differs_from_one_only_in_case_is_a_409_and_nothing_is_added()
    {
        // "hn" beside "HN" was saved as a second area (codes compare exactly everywhere), listed to candidates beside the first.
        var @operator = await Client.OperatorTokenAsync();
        var area = "Rc" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();
        await SaveAsync($"/api/v1/registrations/areas/{area}", "新考区", HttpStatusCode.OK);
        await SaveAsync($"/api/v1/registrations/areas/{area}/sites/{area}s1", "第一考点", HttpStatusCode.OK);

        var problem = await SaveAsync($"/api/v1/registrations/areas/{area.ToLowerInvariant()}", "重复的考区", HttpStatusCode.Conflict);
        Assert.Equal("code_differs_in_case", problem["code"]!.GetValue<string>());
        Assert.Contains($"“{area}”", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        problem = await SaveAsync($"/api/v1/registrations/areas/{area}/sites/{area.ToUpperInvariant()}S1", "重复的考点", HttpStatusCode.Conflict);
        Assert.Equal("code_differs_in_case", problem["code"]!.GetValue<string>());
        // The codes as they are still save (a rename), whatever their case.
        await SaveAsync($"/api/v1/registrations/areas/{area}/sites/{area}s1", "第一考点（改名）", HttpStatusCode.OK);

        var reference = await Client.GetJsonAsync("Registration", "/api/v1/registrations/reference", @operator);
        var areas = reference["areas"]!.AsArray().Where(a => string.Equals(a!["code"]!.GetValue<string>(), area, StringComparison.OrdinalIgnoreCase)).ToList();
        var saved = Assert.Single(areas)!;
        Assert.Equal((area, "新考区"), (saved["code"]!.GetValue<string>(), saved["name"]!.GetValue<string>()));
        var site = Assert.Single(saved["sites"]!.AsArray())!;
        Assert.Equal((area + "s1", "第一考点（改名）"), (site["code"]!.GetValue<string>(), site["name"]!.GetValue<string>()));

        async Task<System.Text.Json.Nodes.JsonNode> SaveAsync(string path, string name, HttpStatusCode expected)
        {
            using var response = await Client.SendAsync(HttpMethod.Put, "Registration", path, @operator, JsonContent.Create(new { name }));
            return expected == HttpStatusCode.OK
                ? await EnsureOkAsync(response)
                : await PlatformClient.ProblemAsync(response, expected);
        }

        static async Task<System.Text.Json.Nodes.JsonNode> EnsureOkAsync(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
        }
    }
}
