using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>
/// Checklists follow the notice (seeds/004) per area, through the API: Registration's profile facts reach
/// MaterialStorage and pick the area's catalog; and every checklist item's example (示例) is a served image.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class NoticeChecklistTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    private static string[] Required(JsonNode application) =>
        application["checklist"]!.AsArray().Where(i => i!["requirement"]!.GetValue<string>() == "required")
            .Select(i => i!["materialType"]!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("43", "4301")]
    [InlineData("51", "5101")]
    public async Task Every_candidate_needs_the_licence_copy_and_one_trial_certificate_per_institution(string area, string site)
    {
        var plain = await _steps.ApplicationAsync(await _steps.RegisterAsync(area, site));
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(plain));

        var twoInstitutionsAtA3aHospital = await _steps.ApplicationAsync(await _steps.RegisterAsync(area, site, new { employerType = "grade-3a-hospital", trialInstitutionCount = 2 }));
        Assert.Equal("not-applicable", MaterialSteps.ChecklistItem(twoInstitutionsAtA3aHospital, "institution-licence")["requirement"]!.GetValue<string>());
        Assert.Equal(2, MaterialSteps.ChecklistItem(twoInstitutionsAtA3aHospital, "trial-period-certificate")["minCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_Hunan_repeat_candidate_of_2018_uploads_the_reduced_set_and_the_same_candidate_in_Sichuan_the_full_one()
    {
        var profile = new { repeatCandidate = true, previousExamYear = 2018, previousExamArea = "43" };
        var hunan = await _steps.ApplicationAsync(await _steps.RegisterAsync("43", "4301", profile));
        Assert.Equal(["id-card", "trial-period-certificate", "registration-notice", "previous-admission-ticket"], Required(hunan));
        Assert.Equal("43", hunan["catalog"]!["areaCode"]!.GetValue<string>());

        var sichuan = await _steps.ApplicationAsync(await _steps.RegisterAsync("51", "5101", profile));
        Assert.Equal(["id-card", "institution-licence", "trial-period-certificate", "graduation-certificate", "registration-notice"], Required(sichuan));
        Assert.DoesNotContain(sichuan["checklist"]!.AsArray(), i => i!["materialType"]!.GetValue<string>() == "previous-admission-ticket");
    }

    [Fact]
    public async Task A_mentorship_candidate_sitting_the_practitioner_exam_needs_the_mentorship_and_assistant_certificates()
    {
        var candidate = await _steps.RegisterAsync("11", "1101", new { qualificationRoute = "mentorship" });
        var application = await _steps.ApplicationAsync(candidate);
        // The registration's category is practitioner-clinical: 师承 sitting 执业 needs all three.
        Assert.Contains("mentorship-certificate", Required(application));
        Assert.Contains("assistant-qualification-certificate", Required(application));
        Assert.Contains("assistant-practice-certificate", Required(application));
    }

    [Theory]
    [InlineData("43", "4301")]
    [InlineData("11", "1101")]
    public async Task Every_checklist_items_example_is_a_cacheable_image(string area, string site)
    {
        var candidate = await _steps.RegisterAsync(area, site, new { repeatCandidate = true, previousExamYear = 2019, previousExamArea = "43" });
        var application = await _steps.ApplicationAsync(candidate);
        var examples = application["checklist"]!.AsArray().Select(i => i!["exampleImage"]!.GetValue<string>()).ToList();
        Assert.True(examples.Count >= 16, $"{examples.Count} items");
        foreach (var example in examples)
        {
            // exampleImage is relative to the materials API: no token needed, as for an <img>.
            using var response = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, "/api/v1/materials/" + example, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("max-age=", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

            using var again = new HttpRequestMessage(HttpMethod.Get, _steps.Client.Url(MaterialSteps.Materials, "/api/v1/materials/" + example));
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var revalidated = await _steps.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        }

        using var unknown = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, "/api/v1/materials/examples/no-such-type.png", null);
        Assert.Equal("example_not_found", (await PlatformClient.ProblemAsync(unknown, HttpStatusCode.NotFound))["code"]!.GetValue<string>());
    }
}
