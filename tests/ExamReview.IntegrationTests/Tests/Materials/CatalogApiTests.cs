using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.MaterialStorage.Domain.Catalogs;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>Material catalogs as data: loaded, versioned and served back through the operator API; bad documents refused.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CatalogApiTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    private const string AreaCatalog = """
        {
          "title": "测试考区 2027",
          "materialTypes": [
            { "code": "id-card", "name": "有效身份证明", "description": "正面、反面、手持", "exampleImage": "examples/id-card.png", "minCount": 3, "maxCount": 3, "rule": "required" },
            { "code": "area-permit", "name": "考区许可", "description": "本考区特有材料", "minCount": 1, "maxCount": 1,
              "rule": { "if": { "fact": "nationality", "eq": "mainland" }, "then": "required", "else": "optional" } }
          ]
        }
        """;

    [Fact]
    public async Task The_seed_catalog_is_the_national_default_of_each_seeded_year_and_is_served_back_exactly()
    {
        var token = await _steps.OperatorAsync();
        using var response = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, "/api/v1/materials/catalogs/2027/*", token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal(CatalogStore.SeedDocument(), await response.Content.ReadAsStringAsync());

        var versions = (await _steps.Client.GetJsonAsync(MaterialSteps.Materials, "/api/v1/materials/catalogs", token)).AsArray();
        foreach (var year in new[] { 2025, 2026, 2027, 2028 })
        {
            Assert.Contains(versions, v => v!["examYear"]!.GetValue<int>() == year && v["areaCode"]!.GetValue<string>() == "*" && v["version"]!.GetValue<int>() == 1);
        }
    }

    [Fact]
    public async Task An_area_catalog_round_trips_gains_versions_and_governs_the_areas_candidates()
    {
        var (area, site) = await _steps.NewAreaAsync();
        var token = await _steps.OperatorAsync();
        using (var created = await _steps.PutCatalogAsync(2027, area, AreaCatalog))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.Created);
            var body = (await created.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal(1, body["version"]!.GetValue<int>());
            Assert.Equal(["id-card", "area-permit"], body["materialTypes"]!.AsArray().Select(t => t!["code"]!.GetValue<string>()));
        }
        var second = AreaCatalog.Replace("\"maxCount\": 1,", "\"maxCount\": 2,", StringComparison.Ordinal);
        using (var created = await _steps.PutCatalogAsync(2027, area, second))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.Created);
            Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonNode>())!["version"]!.GetValue<int>());
        }

        using (var latest = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/catalogs/2027/{area}", token))
        {
            await PlatformClient.EnsureAsync(latest, HttpStatusCode.OK);
            Assert.Equal(second, await latest.Content.ReadAsStringAsync());
            Assert.Equal("2", latest.Headers.GetValues("Catalog-Version").Single());
        }
        using (var first = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/catalogs/2027/{area}?version=1", token))
        {
            await PlatformClient.EnsureAsync(first, HttpStatusCode.OK);
            Assert.Equal(AreaCatalog, await first.Content.ReadAsStringAsync());
        }

        // The area's candidates get the area's catalog, not the national default.
        var candidate = await _steps.RegisterAsync(area, site);
        var application = await _steps.ApplicationAsync(candidate);
        Assert.Equal(area, application["catalog"]!["areaCode"]!.GetValue<string>());
        Assert.Equal(2, application["catalog"]!["version"]!.GetValue<int>());
        var permit = MaterialSteps.ChecklistItem(application, "area-permit");
        Assert.Equal("required", permit["requirement"]!.GetValue<string>());
        Assert.Equal(2, permit["maxCount"]!.GetValue<int>());
        using var graduation = await _steps.UploadAsync(candidate, "graduation-certificate", MaterialImages.Document());
        Assert.Equal("unknown_material_type", await MaterialSteps.CodeAsync(graduation, HttpStatusCode.UnprocessableEntity));
        await _steps.UploadOkAsync(candidate, "area-permit");

        var catalog = await _steps.Client.GetJsonAsync(MaterialSteps.Materials, $"/api/v1/materials/catalog?examYear=2027&areaCode={area}", candidate.Token);
        Assert.Equal(2, catalog["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_submitted_application_keeps_the_catalog_it_was_submitted_against_until_it_is_returned()
    {
        var (area, site) = await _steps.NewAreaAsync();
        using (var created = await _steps.PutCatalogAsync(2027, area, AreaCatalog))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.Created);
        }
        var submitted = await _steps.RegisterAsync(area, site);
        foreach (var type in new[] { "id-card", "id-card", "id-card", "area-permit" })
        {
            await _steps.UploadOkAsync(submitted, type);
        }
        var review = new Review.ReviewSteps(platform.Client);
        await review.WaitForChecksAsync(submitted.Id, submitted.Token);
        using (var submit = await _steps.SubmitAsync(submitted))
        {
            await PlatformClient.EnsureAsync(submit, HttpStatusCode.OK);
        }

        // Mid-review the operator publishes version 2, which adds a required form.
        var withForm = AreaCatalog.Replace(
            "\"materialTypes\": [",
            "\"materialTypes\": [ { \"code\": \"area-form\", \"name\": \"考区登记表\", \"description\": \"本考区新增\", \"minCount\": 1, \"maxCount\": 1, \"rule\": \"required\" },",
            StringComparison.Ordinal);
        using (var created = await _steps.PutCatalogAsync(2027, area, withForm))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.Created);
            Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonNode>())!["version"]!.GetValue<int>());
        }

        // The case with reviewers still reads against version 1: complete, nothing new to upload.
        var locked = await _steps.ApplicationAsync(submitted);
        Assert.Equal("Submitted", locked["state"]!.GetValue<string>());
        Assert.Equal(1, locked["catalog"]!["version"]!.GetValue<int>());
        Assert.DoesNotContain(locked["checklist"]!.AsArray(), i => i!["materialType"]!.GetValue<string>() == "area-form");
        Assert.All(locked["checklist"]!.AsArray(), i => Assert.Equal(0, i!["missing"]!.GetValue<int>()));

        // A candidate who has not submitted gets version 2 at once.
        var open = await _steps.RegisterAsync(area, site);
        var fresh = await _steps.ApplicationAsync(open);
        Assert.Equal(2, fresh["catalog"]!["version"]!.GetValue<int>());
        Assert.Equal(1, MaterialSteps.ChecklistItem(fresh, "area-form")["missing"]!.GetValue<int>());

        // Returned, the application follows the catalog in force: the new form is due before it can go back.
        var reviewer = await review.SiteReviewerAsync($"pin-{Guid.NewGuid():N}", site);
        var caseId = await review.WaitForCaseAsync(submitted.Id, reviewer, c => c["state"]!.GetValue<string>() == "SiteReview");
        await review.OkAsync(review.ClaimAsync(caseId, reviewer));
        await review.OkAsync(review.ReturnAsync(caseId, reviewer, "请补充考区登记表"));
        await Eventually.TrueAsync(async () => (await _steps.ApplicationAsync(submitted))["state"]!.GetValue<string>() == "Returned", "the application to be returned");
        var returned = await _steps.ApplicationAsync(submitted);
        Assert.Equal(2, returned["catalog"]!["version"]!.GetValue<int>());
        Assert.Equal(1, MaterialSteps.ChecklistItem(returned, "area-form")["missing"]!.GetValue<int>());
        using (var refused = await _steps.SubmitAsync(submitted))
        {
            Assert.Equal("materials_missing", await MaterialSteps.CodeAsync(refused, HttpStatusCode.UnprocessableEntity));
        }

        await _steps.UploadOkAsync(submitted, "area-form");
        await review.WaitForChecksAsync(submitted.Id, submitted.Token);
        using (var resubmit = await _steps.SubmitAsync(submitted))
        {
            await PlatformClient.EnsureAsync(resubmit, HttpStatusCode.OK);
        }
        Assert.Equal(2, (await _steps.ApplicationAsync(submitted))["catalog"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_catalog_with_unknown_facts_operators_or_properties_is_refused_naming_each_problem_and_nothing_is_stored()
    {
        var (area, _) = await _steps.NewAreaAsync();
        var bad = AreaCatalog
            .Replace("\"fact\": \"nationality\", \"eq\"", "\"fact\": \"bloodType\", \"eq\"", StringComparison.Ordinal)
            .Replace("\"rule\": \"required\"", "\"rule\": { \"if\": { \"fact\": \"foreignDegree\", \"like\": true }, \"then\": \"required\", \"else\": \"optional\" }, \"colour\": \"red\"", StringComparison.Ordinal);
        using var response = await _steps.PutCatalogAsync(2027, area, bad);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("invalid_catalog", problem["code"]!.GetValue<string>());
        var paths = problem["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        Assert.Contains("$.materialTypes[0].rule.if.like", paths);
        Assert.Contains("$.materialTypes[0].colour", paths);
        Assert.Contains("$.materialTypes[1].rule.if.fact", paths);
        Assert.Contains(problem["errors"]!.AsArray(), e => e!["message"]!.GetValue<string>().Contains("bloodType", StringComparison.Ordinal));
        Assert.Contains("$.materialTypes[1].rule.if.fact", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var malformed = await _steps.PutCatalogAsync(2027, area, "{ \"materialTypes\": [");
        Assert.Equal("invalid_catalog", await MaterialSteps.CodeAsync(malformed, HttpStatusCode.UnprocessableEntity));

        using var stored = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/catalogs/2027/{area}", await _steps.OperatorAsync());
        Assert.Equal("catalog_not_found", await MaterialSteps.CodeAsync(stored, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_catalog_that_requires_nothing_is_refused_and_the_one_in_force_stays()
    {
        // Every type left "optional": accepted, it let candidates submit (and lock) an application with no image at all.
        var (area, _) = await _steps.NewAreaAsync();
        using (var created = await _steps.PutCatalogAsync(2027, area, AreaCatalog))
        {
            await PlatformClient.EnsureAsync(created, HttpStatusCode.Created);
        }
        var nothingRequired = AreaCatalog
            .Replace("\"rule\": \"required\"", "\"rule\": \"optional\"", StringComparison.Ordinal)
            .Replace("\"then\": \"required\"", "\"then\": \"optional\"", StringComparison.Ordinal);
        using var response = await _steps.PutCatalogAsync(2027, area, nothingRequired);
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("invalid_catalog", problem["code"]!.GetValue<string>());
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal(("$.materialTypes", "nothing_required"), (error["path"]!.GetValue<string>(), error["code"]!.GetValue<string>()));

        using var stored = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/catalogs/2027/{area}", await _steps.OperatorAsync());
        await PlatformClient.EnsureAsync(stored, HttpStatusCode.OK);
        Assert.Equal("1", stored.Headers.GetValues("Catalog-Version").Single());
        Assert.Equal(AreaCatalog, await stored.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_operators_load_catalogs_or_change_area_settings()
    {
        var candidateToken = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        using (var response = await _steps.PutCatalogAsync(2027, "43", AreaCatalog, candidateToken))
        {
            await PlatformClient.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
        using (var response = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Materials, "/api/v1/materials/catalogs/2027/43", null, new StringContent(AreaCatalog)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var response = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Materials, "/api/v1/materials/areas/43/settings",
            await _steps.Client.SiteReviewerTokenAsync("4301"), JsonContent.Create(new { submissionMode = "continuous" })))
        {
            await PlatformClient.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
        using (var response = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Materials, "/api/v1/materials/areas/43/settings",
            await _steps.OperatorAsync(), JsonContent.Create(new { submissionMode = "sometimes", maxImageBytes = 5 })))
        {
            var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("submissionMode"));
            Assert.True(problem["errors"]!.AsObject().ContainsKey("maxImageBytes"));
        }
    }
}
