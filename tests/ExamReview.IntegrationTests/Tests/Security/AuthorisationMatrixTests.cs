using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>
/// A platform of its own (the matrix sends every role to every endpoint, writes included), configured as production is:
/// a signing key of the identity provider's, which the test holds and signs with, so it can also sign expired and
/// not-yet-valid tokens with the real key. With a key configured there is no development issuer.
/// </summary>
public sealed class MatrixPlatform : EmbeddedPlatform
{
    public const string Issuer = "examreview-dev";
    public const string Audience = "examreview";
    public static readonly string SigningKey = DevTokenIssuer.NewKey();

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth__SigningKeys__0"] = SigningKey,
    };

    protected override Func<JsonObject, string>? TokenIssuer => request =>
        IdentityProvider().Issue(request.Deserialize<TokenRequest>(JsonSerializerOptions.Web)!).AccessToken;

    /// <summary>The identity provider: the platform's key, on a clock of the test's choosing.</summary>
    public static DevTokenIssuer IdentityProvider(TimeProvider? clock = null) => new(Issuer, Audience, SigningKey, clock);
}

/// <summary>
/// Issue 15's authorisation matrix over every operation of every OpenAPI document: every kind of bad token, every
/// human role against the expectation table (<see cref="AuthorisationExpectations"/>), and every role in and out of
/// scope of one real candidate (<see cref="ScopeMatrix"/>). A new endpoint without a line in the table, one that is
/// anonymous without being listed, that lets a forged token through, or that answers a role otherwise than the table
/// says, fails here the day it is added.
/// </summary>
public sealed class AuthorisationMatrixTests(MatrixPlatform platform) : IClassFixture<MatrixPlatform>
{
    [Fact]
    public async Task Every_operation_of_every_document_has_a_deliberate_line_in_the_expectation_table()
    {
        var operations = await MatrixOperations.ReadAsync(platform.Client);
        Assert.NotEmpty(operations);
        var ids = operations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        // Keys configured, as in production: the development issuer is not there to be called.
        Assert.DoesNotContain("issueDevToken", ids);
        Assert.DoesNotContain("issueClientToken", ids); // the development client-credentials grant: off with configured keys too
        var unlisted = operations.Where(o => !AuthorisationExpectations.Allowed.ContainsKey(o.Id)).Select(o => $"{o.Id} ({o.Key}, anonymous: {o.Anonymous})");
        Assert.True(!unlisted.Any(), "operations without a policy line in AuthorisationExpectations:\n" + string.Join('\n', unlisted));
        var stale = AuthorisationExpectations.Allowed.Keys.Where(k => !ids.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "lines for operations no document has: " + string.Join(", ", stale));
        // The document's security requirement agrees with the table: public exactly where the table says so.
        var documentedAnonymous = operations.Where(o => o.Anonymous).Select(o => o.Id).Order(StringComparer.Ordinal);
        Assert.Equal(AuthorisationExpectations.Anonymous.Order(StringComparer.Ordinal), documentedAnonymous);
    }

    [Fact]
    public async Task Only_the_listed_operations_are_anonymous_and_every_other_challenges_missing_and_forged_tokens()
    {
        var operations = await MatrixOperations.ReadAsync(platform.Client);
        var genuine = await platform.Client.OperatorTokenAsync();
        var forged = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["wrong key"] = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey()).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            ["expired, wrong key"] = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey(), new ShiftedClock(TimeSpan.FromDays(-2)))
                .Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            // Signed with the platform's real key: only the lifetime is wrong (two days past; two days ahead).
            ["expired, real key"] = MatrixPlatform.IdentityProvider(new ShiftedClock(TimeSpan.FromDays(-2))).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            ["not yet valid, real key"] = MatrixPlatform.IdentityProvider(new ShiftedClock(TimeSpan.FromDays(2))).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            ["alg none"] = Unsigned(genuine),
            ["tampered signature"] = genuine[..^4] + (genuine.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"),
        };
        var calls = operations.SelectMany(o => forged.Select(f => (Operation: o, Kind: f.Key, Token: f.Value)));
        var answers = await MatrixOperations.InParallelAsync(calls, async call =>
        {
            using var response = await MatrixOperations.SendAsync(platform.Client, call.Operation, call.Token);
            // Refused at the door: 401 with the bearer challenge (a handler's own 401, e.g. a bad hand-over, has none).
            var challenged = response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer");
            return (call.Operation, call.Kind, challenged, Status: (int)response.StatusCode);
        });
        var failures = answers.Where(a => !a.challenged && !a.Operation.Anonymous).Select(a => $"{a.Operation.Id} with {a.Kind}: {a.Status}").ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // Public operations answer a call without a token themselves (no bearer challenge).
        var anonymous = answers.Where(a => a.Kind == "no token" && !a.challenged).Select(a => a.Operation.Id).Order(StringComparer.Ordinal);
        Assert.Equal(AuthorisationExpectations.Anonymous.Order(StringComparer.Ordinal), anonymous);
    }

    [Fact]
    public async Task Every_role_gets_exactly_what_the_table_allows_on_every_operation()
    {
        var operations = await MatrixOperations.ReadAsync(platform.Client);
        var tokens = await ScopeMatrix.RoleTokensAsync(platform.Client, Guid.NewGuid(), "4301", "43");
        var calls = operations.Where(o => AuthorisationExpectations.Allowed.ContainsKey(o.Id)).SelectMany(o => tokens.Select(t => (Operation: o, Role: t.Key, Token: t.Value)));
        var answers = await MatrixOperations.InParallelAsync(calls, async call =>
        {
            using var response = await MatrixOperations.SendAsync(platform.Client, call.Operation, call.Token);
            return (call.Operation, call.Role, Status: (int)response.StatusCode, Answer: await MatrixOperations.AnswerAsync(response));
        });
        var failures = new List<string>();
        foreach (var (operation, role, status, answer) in answers)
        {
            var allowed = AuthorisationExpectations.Allowed[operation.Id].HasFlag(role);
            // A public operation may refuse a bad credential in its body with its own 401 (the hand-over exchange).
            var refused = status == 403 || (status == 401 && !operation.Anonymous);
            if (status >= 500 || (allowed && refused) || (!allowed && status != 403))
            {
                failures.Add($"{operation.Id} ({operation.Key}) as {role}, {(allowed ? "allowed" : "not allowed")}: {answer}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {answers.Count} calls answered unexpectedly:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_role_reaches_a_real_candidate_in_scope_and_sees_exactly_a_missing_one_out_of_scope()
    {
        var operations = await MatrixOperations.ReadAsync(platform.Client);
        var failures = await new ScopeMatrix(platform.Client).RunAsync(operations.Where(o => o.Scoped).ToList());
        Assert.True(failures.Count == 0, $"{failures.Count} scope answers unexpected:\n" + string.Join('\n', failures));
    }

    /// <summary>The genuine token's claims under <c>alg: none</c> with no signature.</summary>
    private static string Unsigned(string token)
    {
        var header = Convert.ToBase64String("""{"alg":"none","typ":"JWT"}"""u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{token.Split('.')[1]}.";
    }

    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
