using System.Net;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>Machine clients: the client-credentials grant of the development issuer, and a rate limit per client with Retry-After.</summary>
[Collection(ProvincialCollection.Name)]
public sealed class MachineClientTests(ProvincialPlatform platform)
{
    [Fact]
    public async Task Only_a_configured_client_with_its_secret_gets_a_province_token()
    {
        using (var wrong = await SimulatedProvince.PostTokenAsync(platform.Client, ProvincialPlatform.Hunan.ClientId, "not-the-secret"))
        {
            Assert.Equal("invalid_client", (await PlatformClient.ProblemAsync(wrong, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        using (var unknown = await SimulatedProvince.PostTokenAsync(platform.Client, "nobody", "x"))
        {
            Assert.Equal("invalid_client", (await PlatformClient.ProblemAsync(unknown, HttpStatusCode.Unauthorized))["code"]!.GetValue<string>());
        }
        using (var grant = await SimulatedProvince.PostTokenAsync(platform.Client, ProvincialPlatform.Hunan.ClientId, ProvincialPlatform.Hunan.Secret, "password"))
        {
            Assert.Equal("unsupported_grant_type", (await PlatformClient.ProblemAsync(grant, HttpStatusCode.BadRequest))["code"]!.GetValue<string>());
        }
        // A reviewer of the same province is a person, not a provincial system: the integration surface refuses the role.
        var reviewer = await platform.Client.AreaReviewerTokenAsync("43");
        using var forbidden = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/api/v1/provincial/registrations", reviewer);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Each_client_has_its_own_budget_and_is_told_when_to_retry()
    {
        var burst = new SimulatedProvince(() => platform.Client, ProvincialPlatform.Burst);
        var hunan = new SimulatedProvince(() => platform.Client, ProvincialPlatform.Hunan);
        await burst.AuthenticateAsync();
        await hunan.AuthenticateAsync();

        for (var i = 0; i < ProvincialPlatform.BurstPermits; i++)
        {
            using var allowed = await burst.GetAsync("ReviewWorkflow", "/api/v1/provincial/reviews");
            await PlatformClient.EnsureAsync(allowed, HttpStatusCode.OK);
        }
        using var limited = await burst.GetAsync("Registration", "/api/v1/provincial/registrations");
        var problem = await PlatformClient.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        // Another client of the same province is not held back by it.
        using var other = await hunan.GetAsync("Registration", "/api/v1/provincial/registrations");
        await PlatformClient.EnsureAsync(other, HttpStatusCode.OK);
    }
}
