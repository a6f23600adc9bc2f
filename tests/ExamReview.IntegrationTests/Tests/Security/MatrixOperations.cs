using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Security;

/// <summary>One operation of the OpenAPI documents, its path parameters filled with values that name nothing in particular.</summary>
public sealed record MatrixOperation(string Id, string Method, string Template, string Path, bool Multipart, bool Anonymous)
{
    public string Key => $"{Method} {Template}";

    /// <summary>True when the route names a candidate or a review case, so the caller's scope decides the answer.</summary>
    public bool Scoped => Template.Contains("{candidateId}", StringComparison.Ordinal) || Template.Contains("{caseId}", StringComparison.Ordinal);

    /// <summary>The path with the candidate, case and image named (the other parameters keep their neutral values).</summary>
    public string PathFor(Guid candidateId, Guid caseId, Guid imageId)
    {
        var path = Template.Replace("{candidateId}", candidateId.ToString(), StringComparison.Ordinal)
            .Replace("{caseId}", caseId.ToString(), StringComparison.Ordinal)
            .Replace("{imageId}", imageId.ToString(), StringComparison.Ordinal);
        // Whatever else the route names keeps the value the neutral path gave it.
        var neutral = Path.Split('/');
        var named = path.Split('/');
        for (var i = 0; i < named.Length && i < neutral.Length; i++)
        {
            if (named[i].StartsWith('{'))
            {
                named[i] = neutral[i];
            }
        }
        return string.Join('/', named);
    }
}

/// <summary>Reads every OpenAPI document of the platform and sends requests the way the matrix tests need them.</summary>
public static class MatrixOperations
{
    /// <summary>The host's whole document and each service's own, as <c>ServiceDocuments</c> names them.</summary>
    public static readonly string[] Documents = ["v1", "registration", "materialstorage", "imagevalidation", "reviewworkflow", "notification", "provincial-v1"];

    /// <summary>Every operation of every document, once each (an operation id names one method and route in all of them).</summary>
    public static async Task<List<MatrixOperation>> ReadAsync(PlatformClient client)
    {
        var operations = new Dictionary<string, MatrixOperation>(StringComparer.Ordinal);
        foreach (var name in Documents)
        {
            using var response = await client.SendAsync(HttpMethod.Get, "Registration", $"/openapi/{name}.json", token: null);
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            foreach (var (template, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "delete" or "patch"))
                {
                    var read = Read(template, method, operation!);
                    if (operations.TryGetValue(read.Id, out var seen))
                    {
                        // The neutral ids differ from one reading to the next; everything else must agree.
                        Assert.True(seen with { Path = read.Path } == read, $"operationId {read.Id} names {seen.Key} in one document and {read.Key} in {name}.json");
                        continue;
                    }
                    operations[read.Id] = read;
                }
            }
        }
        return operations.Values.OrderBy(o => o.Id, StringComparer.Ordinal).ToList();
    }

    private static MatrixOperation Read(string template, string method, JsonNode operation)
    {
        var id = operation["operationId"]?.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(id), $"{method.ToUpperInvariant()} {template} has no operationId");
        var path = template;
        foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
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
        // The document's security requirement: an empty requirement object means no credentials at all.
        var security = operation["security"]?.AsArray();
        Assert.True(security is not null, $"{id} states no security requirement");
        var anonymous = security.Any(r => r is JsonObject o && o.Count == 0);
        return new MatrixOperation(id!, method.ToUpperInvariant(), template, path, multipart, anonymous);
    }

    public static Task<HttpResponseMessage> SendAsync(PlatformClient client, MatrixOperation operation, string? token) =>
        SendAsync(client, operation, operation.Path, token);

    public static async Task<HttpResponseMessage> SendAsync(PlatformClient client, MatrixOperation operation, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), client.Url("Registration", path));
        // The body the operation declares, empty: a form for form endpoints (else routing answers for them), JSON otherwise.
        if (operation.Multipart)
        {
            request.Content = new MultipartFormDataContent { { new StringContent(""), "unused" } };
        }
        else if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(json ?? "{}", Encoding.UTF8, "application/json");
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (operation.Method == "POST")
        {
            // The integration surface's POSTs need one (issue 14); without it they would answer 400 before looking at the resource.
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        return await client.SendAsync(request);
    }

    /// <summary>Status and problem code (or "-"), which is what a caller can tell about the resource.</summary>
    public static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0)
        {
            code = (JsonNode.Parse(text) as JsonObject)?["code"]?.GetValue<string>();
        }
        return $"{(int)response.StatusCode} {code ?? "-"}";
    }

    /// <summary>Runs the calls a few at a time: fast, without drowning the embedded host on a small machine.</summary>
    public static async Task<List<T>> InParallelAsync<TIn, T>(IEnumerable<TIn> items, Func<TIn, Task<T>> call)
    {
        using var gate = new SemaphoreSlim(8);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await call(item);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        return [.. await Task.WhenAll(tasks)];
    }
}
