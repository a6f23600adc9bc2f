using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>A platform of its own: the matrix sends every role to every endpoint, writes included.</summary>
public sealed class MatrixPlatform : EmbeddedPlatform;

/// <summary>
/// Issue 15's authorisation matrix, the part that needs no per-endpoint expectations: every operation of the OpenAPI
/// document, with every kind of bad token and with a valid token of every role. A new endpoint that is anonymous
/// without being on the list below, or that lets a forged token through, or that fails with a 5xx for some role,
/// fails here the day it is added. (Per-role expected statuses per endpoint are not in this test yet.)
/// </summary>
public sealed class AuthorisationMatrixTests(MatrixPlatform platform) : IClassFixture<MatrixPlatform>
{
    /// <summary>The operations anyone may call without signing in, each for a stated reason.</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "POST /api/v1/dev/tokens",                          // development issuer (off wherever keys are configured)
        "POST /api/v1/validation/photo",                    // the public photo tool, rate-limited per address
        "POST /api/v1/materials/sessions",                  // the hand-over authorisation in the body is the credential
        "GET /api/v1/materials/examples/{file}",            // generic example images
        "GET /api/v1/registrations/notices/verify",         // the printed notice's QR code is checked by anyone
    };

    [Fact]
    public async Task Only_the_listed_operations_are_anonymous_and_every_other_challenges_missing_and_forged_tokens()
    {
        var operations = await OperationsAsync();
        Assert.NotEmpty(operations);
        var genuine = await platform.Client.OperatorTokenAsync();
        var forged = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["wrong key"] = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey()).Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            ["expired, wrong key"] = new DevTokenIssuer("examreview-dev", "examreview", DevTokenIssuer.NewKey(), new ShiftedClock(TimeSpan.FromDays(-2)))
                .Issue(new TokenRequest("operator", Roles.Operator)).AccessToken,
            ["alg none"] = Unsigned(genuine),
            ["tampered signature"] = genuine[..^4] + (genuine.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"),
        };
        var anonymous = new List<string>();
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            foreach (var (kind, token) in forged)
            {
                using var response = await SendAsync(operation, token);
                // Refused at the door: 401 with the bearer challenge (a handler's own 401, e.g. a bad hand-over, has none).
                var challenged = response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer");
                if (!challenged)
                {
                    if (kind == "no token")
                    {
                        anonymous.Add(operation.Key);
                        break;
                    }
                    failures.Add($"{operation.Key} with {kind}: {(int)response.StatusCode}");
                }
            }
        }
        Assert.Empty(failures);
        Assert.Equal(Anonymous.Order(StringComparer.Ordinal), anonymous.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task No_role_makes_any_operation_fail_with_a_server_error_or_a_401()
    {
        var operations = await OperationsAsync();
        var tokens = new Dictionary<string, string>
        {
            ["candidate"] = await platform.Client.CandidateTokenAsync(Guid.NewGuid()),
            ["site-reviewer"] = await platform.Client.SiteReviewerTokenAsync("4301"),
            ["area-reviewer"] = await platform.Client.AreaReviewerTokenAsync("43"),
            ["province"] = await platform.Client.TokenAsync(new { subject = "province-43", role = "province", area = "43" }),
            ["operator"] = await platform.Client.OperatorTokenAsync(),
        };
        var failures = new List<string>();
        foreach (var operation in operations.Where(o => !Anonymous.Contains(o.Key)))
        {
            foreach (var (role, token) in tokens)
            {
                using var response = await SendAsync(operation, token);
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{operation.Key} as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.Empty(failures);
    }

    private sealed record Operation(string Method, string Template, string Path, bool Multipart)
    {
        public string Key => $"{Method} {Template}";
    }

    /// <summary>Every operation of the document, its path parameters filled with values that name nothing in particular.</summary>
    private async Task<List<Operation>> OperationsAsync()
    {
        using var response = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/openapi/v1.json", token: null);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var operations = new List<Operation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch"))
            {
                var path = template;
                foreach (var parameter in operation!["parameters"]?.AsArray() ?? [])
                {
                    if (parameter!["in"]?.GetValue<string>() != "path")
                    {
                        continue;
                    }
                    var schema = parameter["schema"];
                    var value = schema?["format"]?.GetValue<string>() == "uuid" ? Guid.NewGuid().ToString()
                        : schema?["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true ? "2027"
                        : "43";
                    path = path.Replace("{" + parameter["name"]!.GetValue<string>() + "}", value, StringComparison.Ordinal);
                }
                var multipart = operation["requestBody"]?["content"]?.AsObject().ContainsKey("multipart/form-data") == true;
                operations.Add(new Operation(method.ToUpperInvariant(), template, path, multipart));
            }
        }
        return operations;
    }

    private async Task<HttpResponseMessage> SendAsync(Operation operation, string? token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), platform.Client.Url("Registration", operation.Path));
        // The body the operation declares, empty: a form for form endpoints (else routing answers for them), JSON otherwise.
        if (operation.Multipart)
        {
            request.Content = new MultipartFormDataContent { { new StringContent(""), "unused" } };
        }
        else if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await platform.Client.SendAsync(request);
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
