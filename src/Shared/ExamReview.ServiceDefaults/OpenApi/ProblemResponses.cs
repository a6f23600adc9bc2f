using System.Text.Json.Nodes;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>The stable problem <c>code</c>s an endpoint's handler answers with one status, declared beside its mapping.</summary>
public sealed record ProblemCodesMetadata(int Status, IReadOnlyList<string> Codes);

/// <summary>
/// Every 4xx an operation can answer, each as an RFC 9457 problem whose <c>code</c> is one of the listed values. Derived
/// from what the platform does for every endpoint (binding and validation → 400, the fallback policy → 401, policies and
/// scope checks → 403, an id in the route → 404, rate limits → 429) plus the codes an endpoint declares for itself.
/// </summary>
public static class ProblemResponses
{
    public const string SchemaId = "Problem";
    private const string ProblemJson = "application/problem+json";

    public static void AddSchema(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaId] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 问题详情。`code` 是稳定的机器可读代码（`type` 由它派生）；`title`、`detail` 默认中文，`Accept-Language: en` 时为英文。",
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = Problems.Problems.TypePrefix + "{code}" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "状态的标准标题。" },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "HTTP 状态码。" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "这一次出错的具体说明，指名字段而非 .NET 类型。" },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "出错的请求路径。" },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "稳定的错误代码；每个操作列出它可能返回的值。" },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "追踪编号，报告问题时请提供。" },
                ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "格式错误的参数或 JSON 位置（code 为 bad_request 时）。" },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "字段 → 错误说明（code 为 validation 时）。",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    public static void Apply(OpenApiOperation operation, ApiDescription description, OpenApiDocument document)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var codes = new SortedDictionary<int, SortedSet<string>>();
        void Add(int status, params IEnumerable<string> values)
        {
            if (!codes.TryGetValue(status, out var set))
            {
                codes[status] = set = new SortedSet<string>(StringComparer.Ordinal);
            }
            set.UnionWith(values);
        }

        var hasInput = operation.RequestBody is not null || operation.Parameters is { Count: > 0 };
        if (hasInput)
        {
            Add(StatusCodes.Status400BadRequest, "bad_request", "validation");
        }
        if (operation.RequestBody is not null)
        {
            Add(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");
        }
        if (!SecurityTransformers.IsAnonymous(metadata))
        {
            Add(StatusCodes.Status401Unauthorized, "unauthenticated");
            Add(StatusCodes.Status403Forbidden, "forbidden");
        }
        if (description.RelativePath?.Contains('{') == true)
        {
            Add(StatusCodes.Status404NotFound, "not_found");
        }
        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Add(StatusCodes.Status429TooManyRequests, "rate_limited");
        }
        foreach (var declared in metadata.OfType<ProblemCodesMetadata>())
        {
            Add(declared.Status, declared.Codes);
        }

        operation.Responses ??= new OpenApiResponses();
        var audience = SecurityTransformers.Audience(metadata);
        foreach (var (status, values) in codes)
        {
            var standard = ProblemTexts.ForStatus(status);
            var text = status == StatusCodes.Status403Forbidden && audience is not null ? $"{standard.TitleZh}（需要 {audience}，且在其范围内）" : standard.TitleZh;
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"{text}。code：{string.Join("、", values)}",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            AllOf =
                            [
                                new OpenApiSchemaReference(SchemaId, document),
                                new OpenApiSchema
                                {
                                    Properties = new Dictionary<string, IOpenApiSchema>
                                    {
                                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList() },
                                    },
                                },
                            ],
                        },
                        Example = new JsonObject
                        {
                            ["type"] = Problems.Problems.TypePrefix + values.First(),
                            ["title"] = standard.TitleZh,
                            ["status"] = status,
                            ["detail"] = standard.DetailZh,
                            ["code"] = values.First(),
                        },
                    },
                },
            };
        }
    }
}
