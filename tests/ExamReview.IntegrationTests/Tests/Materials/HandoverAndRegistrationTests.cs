using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Materials;

/// <summary>授权/激活 from Registration to MaterialStorage, and Registration's reference data.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class HandoverAndRegistrationTests(EmbeddedPlatform platform)
{
    private readonly MaterialSteps _steps = new(platform.Client);

    private async Task<string> AuthorizationAsync(Candidate candidate)
    {
        using var response = await _steps.Client.SendAsync(HttpMethod.Post, MaterialSteps.Registration, "/api/v1/registrations/me/handover", candidate.Token);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal("/api/v1/materials/sessions", body["exchangePath"]!.GetValue<string>());
        Assert.True(body["expiresAt"]!.GetValue<DateTimeOffset>() <= DateTimeOffset.UtcNow.AddMinutes(2.5));
        return body["authorization"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> ExchangeAsync(string? authorization) =>
        _steps.Client.SendAsync(HttpMethod.Post, MaterialSteps.Materials, "/api/v1/materials/sessions", null, JsonContent.Create(new { authorization }));

    [Fact]
    public async Task An_authorisation_becomes_a_candidate_session_once_and_only_once()
    {
        var candidate = await _steps.RegisterAsync();
        var authorization = await AuthorizationAsync(candidate);

        // The authorisation itself is not an access token anywhere.
        using (var asBearer = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}", authorization))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
        }

        string session;
        using (var exchanged = await ExchangeAsync(authorization))
        {
            await PlatformClient.EnsureAsync(exchanged, HttpStatusCode.OK);
            var body = (await exchanged.Content.ReadFromJsonAsync<JsonNode>())!;
            Assert.Equal(candidate.Id.ToString(), body["candidateId"]!.GetValue<string>());
            session = body["accessToken"]!.GetValue<string>();
        }
        var application = await _steps.Client.GetJsonAsync(MaterialSteps.Materials, $"/api/v1/materials/candidates/{candidate.Id}", session);
        Assert.Equal(candidate.Id.ToString(), application["candidateId"]!.GetValue<string>());
        using (var other = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, $"/api/v1/materials/candidates/{Guid.NewGuid()}", session))
        {
            await PlatformClient.ProblemAsync(other, HttpStatusCode.NotFound);
        }

        using (var reused = await ExchangeAsync(authorization))
        {
            Assert.Equal("authorization_used", await MaterialSteps.CodeAsync(reused, HttpStatusCode.Conflict));
        }
    }

    [Fact]
    public async Task Racing_exchanges_of_one_authorisation_yield_exactly_one_session()
    {
        var candidate = await _steps.RegisterAsync();
        var authorization = await AuthorizationAsync(candidate);
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ExchangeAsync(authorization)));
        try
        {
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                Assert.Equal("authorization_used", await MaterialSteps.CodeAsync(refused, HttpStatusCode.Conflict));
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Forged_or_foreign_authorisations_are_refused()
    {
        var candidate = await _steps.RegisterAsync();
        var authorization = await AuthorizationAsync(candidate);
        var parts = authorization.Split('.');
        var signature = parts[2].ToCharArray();
        signature[5] = signature[5] == 'A' ? 'B' : 'A';
        var forged = $"{parts[0]}.{parts[1]}.{new string(signature)}";
        using (var response = await ExchangeAsync(forged))
        {
            Assert.Equal("authorization_invalid", await MaterialSteps.CodeAsync(response, HttpStatusCode.Unauthorized));
        }
        // Unsigned (alg none) with the same claims.
        using (var response = await ExchangeAsync($"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}."))
        {
            Assert.Equal("authorization_invalid", await MaterialSteps.CodeAsync(response, HttpStatusCode.Unauthorized));
        }
        // A platform access token is not a hand-over authorisation.
        using (var response = await ExchangeAsync(candidate.Token))
        {
            Assert.Equal("authorization_invalid", await MaterialSteps.CodeAsync(response, HttpStatusCode.Unauthorized));
        }
        using (var response = await ExchangeAsync(null))
        {
            Assert.Equal("authorization_invalid", await MaterialSteps.CodeAsync(response, HttpStatusCode.Unauthorized));
        }
        // The untouched one still works: refusals consumed nothing.
        using (var response = await ExchangeAsync(authorization))
        {
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// The registration's message opens the application in MaterialStorage; the hand-over is a separate call. When the
    /// message is late (the evening peak queues it) a candidate can arrive with a session before their application:
    /// they are asked to wait a moment, not told that it does not exist ("is the registration complete?").
    /// </summary>
    [Fact]
    public async Task A_candidate_handed_over_before_their_application_arrives_is_asked_to_wait_not_told_it_does_not_exist()
    {
        var candidateId = Guid.NewGuid();
        var token = await _steps.Client.CandidateTokenAsync(candidateId);
        var page = $"/api/v1/materials/candidates/{candidateId}";
        using (var neverHandedOver = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, page, token))
        {
            Assert.Equal("application_not_found", await MaterialSteps.CodeAsync(neverHandedOver, HttpStatusCode.NotFound));
        }

        // A hand-over redeemed long ago (its message never came: dead-lettered, an operator's alert) no longer says "wait".
        await RedeemedAsync(candidateId, DateTimeOffset.UtcNow.AddMinutes(-12));
        using (var stale = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, page, token))
        {
            Assert.Equal("application_not_found", await MaterialSteps.CodeAsync(stale, HttpStatusCode.NotFound));
        }

        // The exchange just recorded the hand-over; the registration's message has not arrived.
        await RedeemedAsync(candidateId, DateTimeOffset.UtcNow);

        using (var pending = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, page, token))
        {
            var problem = await PlatformClient.ProblemAsync(pending, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("application_pending", problem["code"]!.GetValue<string>());
            Assert.Equal("报名信息正在同步到材料系统，请稍候几秒再试。", problem["detail"]!.GetValue<string>());
            Assert.Equal("暂时无法处理", problem["title"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(2), pending.Headers.RetryAfter?.Delta);
        }
        // A browser that uploads, replaces, deletes or submits in that moment is told the same (ApplicationWritesPostgresTests: before the file is stored).
        var candidate = new Candidate(candidateId, token, "43", "4301");
        using (var upload = await _steps.UploadAsync(candidate, "college-diploma", MaterialImages.Document()))
        {
            Assert.Equal("application_pending", await MaterialSteps.CodeAsync(upload, HttpStatusCode.ServiceUnavailable));
            Assert.Equal(TimeSpan.FromSeconds(2), upload.Headers.RetryAfter?.Delta);
        }
        using (var submit = await _steps.SubmitAsync(candidate))
        {
            Assert.Equal("application_pending", await MaterialSteps.CodeAsync(submit, HttpStatusCode.ServiceUnavailable));
            Assert.Equal(TimeSpan.FromSeconds(2), submit.Headers.RetryAfter?.Delta);
        }
        using (var replace = await _steps.ReplaceAsync(candidate, Guid.NewGuid(), MaterialImages.Document()))
        {
            Assert.Equal("application_pending", await MaterialSteps.CodeAsync(replace, HttpStatusCode.ServiceUnavailable));
            Assert.Equal(TimeSpan.FromSeconds(2), replace.Headers.RetryAfter?.Delta);
        }
        using (var delete = await _steps.DeleteAsync(candidate, Guid.NewGuid()))
        {
            Assert.Equal("application_pending", await MaterialSteps.CodeAsync(delete, HttpStatusCode.ServiceUnavailable));
            Assert.Equal(TimeSpan.FromSeconds(2), delete.Headers.RetryAfter?.Delta);
        }
        // Only the candidate learns that much: to anyone else the page is simply not there.
        var stranger = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        using (var notTheirs = await _steps.Client.SendAsync(HttpMethod.Get, MaterialSteps.Materials, page, stranger))
        {
            Assert.Equal("application_not_found", await MaterialSteps.CodeAsync(notTheirs, HttpStatusCode.NotFound));
        }
        using (var uploadNotTheirs = await _steps.UploadAsync(candidate with { Token = stranger }, "college-diploma", MaterialImages.Document()))
        {
            Assert.Equal("application_not_found", await MaterialSteps.CodeAsync(uploadNotTheirs, HttpStatusCode.NotFound));
        }
    }

    /// <summary>Records a redeemed hand-over in the running platform's MaterialStorage database, as the exchange does.</summary>
    private async Task RedeemedAsync(Guid candidateId, DateTimeOffset redeemedAt)
    {
        var database = Path.Combine(platform.DataDirectory, "materialstoragedb.db");
        await using var db = new MaterialStorageSqliteDbContext(new DbContextOptionsBuilder<MaterialStorageSqliteDbContext>()
            .UseSqlite($"Data Source={database};Pooling=False").Options);
        db.RedeemedHandovers.Add(new RedeemedHandover { TokenId = Guid.NewGuid(), CandidateId = candidateId, RedeemedAt = redeemedAt, ExpiresAt = redeemedAt.AddMinutes(2) });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Hand_over_needs_a_registration()
    {
        var token = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        using var response = await _steps.Client.SendAsync(HttpMethod.Post, MaterialSteps.Registration, "/api/v1/registrations/me/handover", token);
        Assert.Equal("registration_not_found", await MaterialSteps.CodeAsync(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Years_areas_and_sites_are_data_that_operators_maintain()
    {
        var (area, site) = await _steps.NewAreaAsync();
        var reference = await _steps.Client.GetJsonAsync(MaterialSteps.Registration, "/api/v1/registrations/reference", await _steps.Client.CandidateTokenAsync(Guid.NewGuid()));
        Assert.Contains(reference["years"]!.AsArray(), y => y!["year"]!.GetValue<int>() == 2027);
        var created = reference["areas"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == area)!;
        Assert.Equal(site, created["sites"]![0]!["code"]!.GetValue<string>());

        var token = await _steps.Client.CandidateTokenAsync(Guid.NewGuid());
        var body = JsonSerializerBody(area, site, 2031);
        using (var unknownYear = await _steps.Client.SendAsync(HttpMethod.Post, MaterialSteps.Registration, "/api/v1/registrations", token, JsonContent.Create(body)))
        {
            Assert.Equal("unknown_exam_year", await MaterialSteps.CodeAsync(unknownYear, HttpStatusCode.UnprocessableEntity));
        }
        using (var notOperator = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Registration, "/api/v1/registrations/years/2031", token, JsonContent.Create(new { name = "2031" })))
        {
            await PlatformClient.ProblemAsync(notOperator, HttpStatusCode.Forbidden);
        }
        using (var wrongArea = await _steps.Client.SendAsync(HttpMethod.Put, MaterialSteps.Registration, $"/api/v1/registrations/areas/43/sites/{site}",
            await _steps.OperatorAsync(), JsonContent.Create(new { name = "x" })))
        {
            Assert.Equal("site_in_other_area", await MaterialSteps.CodeAsync(wrongArea, HttpStatusCode.Conflict));
        }
    }

    private static JsonObject JsonSerializerBody(string area, string site, int year)
    {
        var body = JsonSerializer(MaterialSteps.RegistrationBody(area, site, null));
        body["examYear"] = year;
        return body;
    }

    private static JsonObject JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();

    private static string Base64Url(string text) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
