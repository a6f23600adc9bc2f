using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests;

/// <summary>
/// Each service's OpenAPI document, as the running embedded platform serves it (issue 17): one per service, only its
/// own operations, each with an operation id, a Chinese summary, a security requirement and its problem responses; and
/// every document lints clean under Redocly's recommended ruleset and drives a TypeScript client that type-checks
/// (tools/openapi/check.mjs). Node and npm are required: without them this test fails, it never skips.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class OpenApiDocumentTests(EmbeddedPlatform platform)
{
    internal static readonly Dictionary<string, string> Prefixes = new()
    {
        ["Registration"] = "/api/v1/registrations",
        ["MaterialStorage"] = "/api/v1/materials",
        ["ImageValidation"] = "/api/v1/validation",
        ["ReviewWorkflow"] = "/api/v1/reviews",
        ["Notification"] = "/api/v1/notifications",
    };

    /// <summary>Each service's part of the provincial integration surface (issue 14), in its own document and in provincial-v1.</summary>
    internal static readonly Dictionary<string, string> ProvincialPrefixes = new()
    {
        ["Registration"] = "/api/v1/provincial/registrations",
        ["MaterialStorage"] = "/api/v1/provincial/applications",
        ["ReviewWorkflow"] = "/api/v1/provincial/reviews",
    };

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private async Task<JsonObject> DocumentAsync(string service, string name)
    {
        // Anonymous: clients generate from these documents before they have a token.
        using var response = await platform.Client.SendAsync(HttpMethod.Get, service, $"/openapi/{name}.json", token: null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/openapi/{name}.json: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (path.Key, method.Key, method.Value!.AsObject());

    [Fact]
    public async Task Each_service_serves_its_own_complete_document()
    {
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (service, prefix) in Prefixes)
        {
            var document = await DocumentAsync(service, service.ToLowerInvariant());
            Assert.Contains(service, document["info"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
            var operations = Operations(document).ToList();
            Assert.NotEmpty(operations);
            foreach (var (path, method, operation) in operations)
            {
                var where = $"{service}: {method.ToUpperInvariant()} {path}";
                Assert.True(path.StartsWith(prefix, StringComparison.Ordinal) || path == "/api/v1/dev/tokens"
                    || (ProvincialPrefixes.TryGetValue(service, out var provincial) && path.StartsWith(provincial, StringComparison.Ordinal)), $"{where} is not this service's");
                var id = operation["operationId"]?.GetValue<string>();
                Assert.False(string.IsNullOrEmpty(id), $"{where} has no operationId");
                // Operation ids are unique across the platform too: the embedded host maps every endpoint by its name.
                Assert.True(path == "/api/v1/dev/tokens" || operationIds.Add(id!), $"{where}: operationId {id} is used twice");
                var summary = operation["summary"]?.GetValue<string>() ?? "";
                Assert.True(summary.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"{where} has no Chinese summary: '{summary}'");
                Assert.NotNull(operation["security"]);
                var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')).ToList();
                Assert.True(problems.Count > 0, $"{where} documents no 4xx response");
                foreach (var (status, response) in problems)
                {
                    Assert.NotNull(response!["content"]?["application/problem+json"]);
                }
            }
        }
        // The whole host's document stays at its historical address.
        var host = await DocumentAsync("Registration", "v1");
        Assert.True(Operations(host).Count() > operationIds.Count);
    }

    [Fact]
    public async Task Anonymous_operations_need_no_token_and_the_others_name_the_bearer_scheme()
    {
        var validation = await DocumentAsync("ImageValidation", "imagevalidation");
        var photo = validation["paths"]!["/api/v1/validation/photo"]!["post"]!;
        Assert.Equal("[{}]", photo["security"]!.ToJsonString());
        Assert.Null(photo["responses"]!["401"]);
        Assert.NotNull(photo["responses"]!["429"]);

        var normalise = validation["paths"]!["/api/v1/validation/normalise"]!["post"]!;
        Assert.Equal("""[{"bearer":[]}]""", normalise["security"]!.ToJsonString());
        Assert.NotNull(normalise["responses"]!["401"]);
        Assert.NotNull(normalise["responses"]!["403"]);
    }

    [Fact]
    public async Task Every_document_lints_clean_and_generates_a_client_that_type_checks()
    {
        var directory = Directory.CreateTempSubdirectory("examreview-openapi-").FullName;
        try
        {
            foreach (var service in Prefixes.Keys)
            {
                var name = service.ToLowerInvariant();
                var document = await DocumentAsync(service, name);
                await File.WriteAllTextAsync(Path.Combine(directory, name + ".json"), document.ToJsonString());
            }
            var provincialDocument = await DocumentAsync("Registration", "provincial-v1");
            await File.WriteAllTextAsync(Path.Combine(directory, "provincial-v1.json"), provincialDocument.ToJsonString());
            var tools = Path.Combine(RepoPaths.Root, "tools", "openapi");
            if (!File.Exists(Path.Combine(tools, "node_modules", ".package-lock.json")))
            {
                // scripts/test.sh installs them; a test run on its own installs them from the lock file the same way.
                var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, TimeSpan.FromMinutes(5));
                Assert.True(install.ExitCode == 0, "npm ci in tools/openapi failed:\n" + install.Output);
            }
            var check = await RunAsync("node", ["check.mjs", directory], tools, TimeSpan.FromMinutes(5));
            Assert.True(check.ExitCode == 0, "tools/openapi/check.mjs failed:\n" + check.Output);
            Assert.Contains("openapi check passed: 6 documents", check.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{command}' is required for the OpenAPI checks and could not be started ({e.Message}); install Node.js 20.19+ and npm.", e);
        }
        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{command} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}

/// <summary>
/// In the distributed run each service process serves its own document under the same name as the embedded host does
/// (the Aspire resource name), and its <c>/openapi/v1.json</c> is that same service's document.
/// </summary>
[Collection(DistributedCollection.Name)]
public sealed class DistributedOpenApiDocumentTests(DistributedPlatform platform)
{
    [Fact]
    public async Task Each_service_process_serves_its_own_document()
    {
        foreach (var service in AppHostProcess.ServiceNames)
        {
            var name = service.ToLowerInvariant();
            using var response = await platform.Client.SendAsync(HttpMethod.Get, service, $"/openapi/{name}.json", token: null);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service} /openapi/{name}.json: {(int)response.StatusCode} {body}");
            var document = JsonNode.Parse(body)!;
            Assert.Contains(service, document["info"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);
            var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
            Assert.NotEmpty(paths);
            Assert.All(paths, p => Assert.True(
                p.StartsWith(OpenApiDocumentTests.Prefixes[service], StringComparison.Ordinal) || p == "/api/v1/dev/tokens"
                || (OpenApiDocumentTests.ProvincialPrefixes.TryGetValue(service, out var provincial) && p.StartsWith(provincial, StringComparison.Ordinal)),
                $"{service} documents {p}"));

            using var legacy = await platform.Client.SendAsync(HttpMethod.Get, service, "/openapi/v1.json", token: null);
            var whole = JsonNode.Parse(await legacy.Content.ReadAsStringAsync())!;
            Assert.Equal(document["info"]!["title"]!.GetValue<string>(), whole["info"]!["title"]!.GetValue<string>());
            // The development client-credentials grant is described with the integration surface (provincial-v1), not per service.
            Assert.Equal(paths.Order(StringComparer.Ordinal),
                whole["paths"]!.AsObject().Select(p => p.Key).Where(p => p != "/api/v1/dev/oauth/token").Order(StringComparer.Ordinal));
        }
    }
}
