using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Registration;

/// <summary>
/// The probe's defect: one resident ID number could be registered by any number of candidates, and any 18 digits passed.
/// Now a number must be a resident ID number (check character, real birth date), and one registration holds it per exam
/// year — a second registration or a staff correction to a held number is refused, with nothing stored.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class IdNumberRegistrationTests(EmbeddedPlatform platform)
{
    private const string Registration = "Registration";
    private const string Registered = "该身份证号码已在本年度报名，如有疑问请联系考点。";
    private PlatformClient Client => platform.Client;

    public static TheoryData<string, string> NotResidentIdNumbers => new()
    {
        { "43010119900101123X", "身份证号码校验位不正确" }, // what every test used to register: its check character is 1
        { TestIdNumbers.WithCheckCharacter("43010119901301123"), "出生日期不正确" }, // month 13, check character right
        { TestIdNumbers.WithCheckCharacter("43010120990101123"), "出生日期不正确" }, // born in 2099
        { "111111111111111111", "出生日期不正确" },
    };

    [Theory]
    [MemberData(nameof(NotResidentIdNumbers))]
    public async Task A_number_that_is_no_resident_ID_number_is_refused_naming_what_is_wrong_and_nothing_is_stored(string idNumber, string expected)
    {
        var token = await Client.CandidateTokenAsync(Guid.NewGuid());
        using var response = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", token,
            JsonContent.Create(PlatformClient.RegistrationBody(idNumber: idNumber)));
        var problem = await PlatformClient.ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["idNumber"], errors.Select(e => e.Key));
        Assert.Contains(expected, errors["idNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await MyRegistrationStatusAsync(token));
    }

    [Fact]
    public async Task A_second_registration_of_a_number_in_the_same_year_is_refused_and_nothing_of_it_is_stored()
    {
        var idNumber = TestIdNumbers.New("43");
        var (holder, _) = await Client.NewCandidateAsync(idNumber: idNumber);

        var secondToken = await Client.CandidateTokenAsync(Guid.NewGuid());
        // The same number however it is typed (a lower-case x, another site of the area): the same person.
        using (var second = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", secondToken,
            JsonContent.Create(PlatformClient.RegistrationBody(site: "4302", idNumber: idNumber.ToLowerInvariant()))))
        {
            var problem = await PlatformClient.ProblemAsync(second, HttpStatusCode.Conflict);
            Assert.Equal(("id_number_registered", Registered), (problem["code"]!.GetValue<string>(), problem["detail"]!.GetValue<string>()));
        }
        Assert.Equal(HttpStatusCode.NotFound, await MyRegistrationStatusAsync(secondToken));
        // Only the holder carries the number; the refused candidate can still register with their own.
        var matches = await SearchAsync(idNumber);
        Assert.Equal([holder.ToString()], matches.Select(m => m!["candidateId"]!.GetValue<string>()));
        await Client.RegisterAsync(secondToken, idNumber: TestIdNumbers.New("43"));
    }

    [Fact]
    public async Task Of_candidates_registering_one_number_at_once_exactly_one_gets_it_and_the_others_the_same_409()
    {
        var idNumber = TestIdNumbers.New("43");
        var tokens = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Client.CandidateTokenAsync(Guid.NewGuid())));

        var answers = await Task.WhenAll(tokens.Select(async token =>
        {
            using var response = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", token,
                JsonContent.Create(PlatformClient.RegistrationBody(idNumber: idNumber)));
            return response.StatusCode == HttpStatusCode.Created ? "201"
                : $"{(int)response.StatusCode} {(await response.Content.ReadFromJsonAsync<JsonNode>())!["code"]!.GetValue<string>()}";
        }));

        Assert.Equal(["201", "409 id_number_registered", "409 id_number_registered", "409 id_number_registered", "409 id_number_registered", "409 id_number_registered"],
            answers.Order(StringComparer.Ordinal));
        Assert.Single(await SearchAsync(idNumber));
    }

    [Fact]
    public async Task A_correction_to_a_number_another_registration_holds_is_refused_and_a_correction_releases_the_old_number()
    {
        var heldNumber = TestIdNumbers.New("43");
        await Client.NewCandidateAsync(idNumber: heldNumber);
        var oldNumber = TestIdNumbers.New("43");
        var (corrected, correctedToken) = await Client.NewCandidateAsync(idNumber: oldNumber);
        var site = await Client.SiteReviewerTokenAsync("4301");

        using (var refused = await CorrectAsync(corrected, site, new { fullName = "张叁", idNumber = heldNumber, reason = "考生持身份证到考点核对" }))
        {
            var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Equal(("id_number_registered", Registered), (problem["code"]!.GetValue<string>(), problem["detail"]!.GetValue<string>()));
        }
        // Nothing half-written: not the name that came with it, no audit row.
        var mine = await Client.GetJsonAsync(Registration, "/api/v1/registrations/me", correctedToken);
        Assert.Equal(("张三", Masked(oldNumber)), (mine["fullName"]!.GetValue<string>(), mine["maskedIdNumber"]!.GetValue<string>()));
        Assert.Empty((await Client.GetJsonAsync(Registration, "/api/v1/registrations/me/corrections", correctedToken)).AsArray());

        // A number nobody holds is taken; the old one is free again for whoever it belongs to, the new one is not.
        var newNumber = TestIdNumbers.New("43");
        using (var moved = await CorrectAsync(corrected, site, new { idNumber = newNumber, reason = "考生持身份证到考点核对" }))
        {
            await PlatformClient.EnsureAsync(moved, HttpStatusCode.OK);
        }
        await Client.NewCandidateAsync(idNumber: oldNumber);
        var another = await Client.CandidateTokenAsync(Guid.NewGuid());
        using var taken = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations", another,
            JsonContent.Create(PlatformClient.RegistrationBody(idNumber: newNumber)));
        Assert.Equal("id_number_registered", (await PlatformClient.ProblemAsync(taken, HttpStatusCode.Conflict))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_correction_to_a_number_that_is_no_resident_ID_number_is_refused()
    {
        var (candidate, _) = await Client.NewCandidateAsync();
        using var refused = await CorrectAsync(candidate, await Client.SiteReviewerTokenAsync("4301"),
            new { idNumber = TestIdNumbers.WithCheckCharacter("43010119901301123"), reason = "考生持身份证到考点核对" });
        var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Contains("出生日期不正确", problem["errors"]!["idNumber"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string Masked(string idNumber) => idNumber[..4] + "**********" + idNumber[^4..];

    private Task<HttpResponseMessage> CorrectAsync(Guid candidateId, string token, object body) =>
        Client.SendAsync(HttpMethod.Post, Registration, $"/api/v1/registrations/{candidateId}/corrections", token, JsonContent.Create(body));

    private async Task<JsonArray> SearchAsync(string idNumber)
    {
        using var response = await Client.SendAsync(HttpMethod.Post, Registration, "/api/v1/registrations/search/id-number", await Client.OperatorTokenAsync(),
            JsonContent.Create(new { idNumber }));
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["matches"]!.AsArray();
    }

    private async Task<HttpStatusCode> MyRegistrationStatusAsync(string token)
    {
        using var response = await Client.SendAsync(HttpMethod.Get, Registration, "/api/v1/registrations/me", token);
        return response.StatusCode;
    }
}
