using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.UnitTests.Materials;

/// <summary>The hand-over authorisation on its own: forged, altered, expired and ordinary platform tokens are refused.</summary>
public sealed class HandoverTokenTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly string Key = DevTokenIssuer.NewKey();
    private static AuthOptions Options(params string[] keys) => new() { Issuer = "examreview-dev", Audience = "examreview", SigningKeys = [.. keys] };

    [Fact]
    public async Task A_fresh_authorisation_names_its_candidate()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tokens = new HandoverTokens(Options(Key), clock);
        var candidateId = Guid.NewGuid();
        var grant = tokens.Issue(candidateId, "20274300000001");
        var (claims, refusal, _) = await tokens.ValidateAsync(grant.Authorization);
        Assert.Equal(HandoverRefusal.None, refusal);
        Assert.Equal(candidateId, claims!.CandidateId);
        Assert.Equal(grant.TokenId, claims.TokenId);
        Assert.Equal("20274300000001", claims.RegistrationNumber);
        Assert.Null(claims.Session); // asked for with the SSO's token: no session to belong to
    }

    [Fact]
    public async Task An_authorisation_asked_for_inside_a_session_carries_it_and_its_end_to_the_session_minted_from_it()
    {
        var now = DateTimeOffset.UtcNow;
        var tokens = new HandoverTokens(Options(Key), new ManualClock(now));
        var signedIn = new HandoverSession(Guid.NewGuid(), DateTimeOffset.FromUnixTimeSeconds(now.AddMinutes(37).ToUnixTimeSeconds()));
        var (claims, _, _) = await tokens.ValidateAsync(tokens.Issue(Guid.NewGuid(), "r", session: signedIn).Authorization);
        Assert.Equal(signedIn, claims!.Session);
    }

    [Fact]
    public async Task An_authorisation_is_expired_after_two_minutes()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tokens = new HandoverTokens(Options(Key), clock);
        var grant = tokens.Issue(Guid.NewGuid(), "r");
        clock.Now += HandoverTokens.Lifetime;
        var (claims, refusal, detail) = await tokens.ValidateAsync(grant.Authorization);
        Assert.Null(claims);
        Assert.Equal(HandoverRefusal.Expired, refusal);
        Assert.Contains("expired", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authorisation_signed_with_another_key_is_invalid()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var forged = new HandoverTokens(Options(DevTokenIssuer.NewKey()), clock).Issue(Guid.NewGuid(), "r");
        var (claims, refusal, _) = await new HandoverTokens(Options(Key), clock).ValidateAsync(forged.Authorization);
        Assert.Null(claims);
        Assert.Equal(HandoverRefusal.Invalid, refusal);
    }

    [Fact]
    public async Task An_altered_authorisation_is_invalid()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tokens = new HandoverTokens(Options(Key), clock);
        var parts = tokens.Issue(Guid.NewGuid(), "r").Authorization.Split('.');
        var other = tokens.Issue(Guid.NewGuid(), "r").Authorization.Split('.');
        var spliced = $"{parts[0]}.{other[1]}.{parts[2]}"; // another candidate's payload under this signature
        Assert.Equal(HandoverRefusal.Invalid, (await tokens.ValidateAsync(spliced)).Refusal);
        Assert.Equal(HandoverRefusal.Invalid, (await tokens.ValidateAsync("not-a-token")).Refusal);
        Assert.Equal(HandoverRefusal.Invalid, (await tokens.ValidateAsync(null)).Refusal);
    }

    [Fact]
    public async Task An_ordinary_platform_token_is_not_an_authorisation()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = Options(Key);
        var platform = new DevTokenIssuer(options).Issue(new TokenRequest("candidate-x", Roles.Candidate, Guid.NewGuid()));
        Assert.Equal(HandoverRefusal.Invalid, (await new HandoverTokens(options, clock).ValidateAsync(platform.AccessToken)).Refusal);
    }

    [Fact]
    public async Task A_rotated_key_still_verifies_authorisations_it_signed()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var grant = new HandoverTokens(Options(Key), clock).Issue(Guid.NewGuid(), "r");
        var rotated = new HandoverTokens(Options(DevTokenIssuer.NewKey(), Key), clock);
        Assert.Equal(HandoverRefusal.None, (await rotated.ValidateAsync(grant.Authorization)).Refusal);
    }
}
