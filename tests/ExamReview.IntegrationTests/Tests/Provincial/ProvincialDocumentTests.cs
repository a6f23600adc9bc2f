using System.Net;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Platform;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>
/// The versioned integration document, /openapi/provincial-v1.json: exactly the integration surface, the headers each
/// write needs, and an example for every call (its records) and for every problem code it can answer. The Redocly lint
/// and the generated client's type check run over it in OpenApiDocumentTests.
/// </summary>
[Collection(ProvincialCollection.Name)]
public sealed class ProvincialDocumentTests(ProvincialPlatform platform)
{
    private static readonly string[] Operations =
    [
        "syncProvincialRegistrations", "getProvincialRegistration", "correctProvincialRegistration", "syncProvincialApplications",
        "syncProvincialReviews", "getProvincialReview", "decideProvincialReview", "issueClientToken",
    ];

    [Fact]
    public async Task The_document_describes_every_call_with_its_headers_and_an_example_of_every_problem_code()
    {
        using var response = await platform.Client.SendAsync(HttpMethod.Get, "Registration", "/openapi/provincial-v1.json", token: null);
        await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Contains("省级系统", document["info"]!["title"]!.GetValue<string>(), StringComparison.Ordinal);

        var operations = (from path in document["paths"]!.AsObject()
                          from method in path.Value!.AsObject()
                          select (Path: path.Key, Method: method.Key, Operation: method.Value!.AsObject())).ToList();
        Assert.Equal(Operations.Order(), operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Order());

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (path, method, operation) in operations)
        {
            var id = operation["operationId"]!.GetValue<string>();
            var headers = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "header")
                .Select(p => p!["name"]!.GetValue<string>()).ToList();
            if (method == "post" && path.StartsWith("/api/v1/provincial/", StringComparison.Ordinal))
            {
                Assert.Contains("Idempotency-Key", headers);
                Assert.Contains("If-Match", headers);
                Assert.NotNull(operation["responses"]!["412"]);
                Assert.NotNull(operation["responses"]!["428"]);
                Assert.NotNull(operation["responses"]!["422"]);
                Assert.NotNull(ExampleOf(operation["requestBody"]!["content"]!.AsObject().First().Value!, schemas));
            }
            foreach (var (status, answer) in operation["responses"]!.AsObject())
            {
                if (status.StartsWith('2'))
                {
                    var content = answer!["content"]?.AsObject().FirstOrDefault().Value;
                    Assert.True(content is null || ExampleOf(content, schemas) is not null, $"{id} {status} has no example");
                    continue;
                }
                var problem = answer!["content"]!["application/problem+json"]!;
                var codes = problem["schema"]!["allOf"]![1]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
                var examples = problem["examples"]!.AsObject();
                Assert.Equal(codes.Order(), examples.Select(e => e.Key).Order());
                Assert.All(examples, e => Assert.Equal(e.Key, e.Value!["value"]!["code"]!.GetValue<string>()));
            }
        }
    }

    /// <summary>The example of a body: the media type's own, or its schema's (referenced) examples.</summary>
    private static JsonNode? ExampleOf(JsonNode media, JsonObject schemas)
    {
        if (media["example"] is { } example)
        {
            return example;
        }
        var schema = media["schema"]!;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = schemas[reference.Split('/')[^1]]!;
        }
        return schema["examples"]?.AsArray().FirstOrDefault() ?? schema["example"];
    }
}
