using System.Text.Json.Nodes;
using ExamReview.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>
/// The versioned document of the integration surface, <c>/openapi/provincial-v1.json</c>: what a provincial team
/// generates its client from. Each service host serves the part it hosts (the embedded host all of it). A breaking
/// change gets a new version (provincial-v2) beside this one, never an edit of it.
/// </summary>
public static class ProvincialDocument
{
    public const string Name = "provincial-v1";

    private static readonly ServiceDescription Description = new("省级系统对接接口（v1）",
        "省级系统（机器客户端）与国家平台的对接面，所有调用都限定在令牌的考区（`area`）内：范围外的资源与不存在的资源一样返回 404。\n\n" +
        "- 认证：客户端凭据（client credentials）令牌，`role=province`、`area`、`client_name`；开发运行可用 POST /api/v1/dev/oauth/token 获取。\n" +
        "- 拉取：报名、材料申请、审核结果三个变更流（`cursor` + `limit` 键集分页），保存 `nextCursor` 即可增量同步，不漏不重；删除的条目以 `deleted: true` 出现。\n" +
        "- 推送：报名信息更正、考区级审核决定；每个 POST 需要 `Idempotency-Key`，写操作需要 `If-Match`（先读取得到的 ETag）。\n" +
        "- 限流：每个客户端独立计数，超出返回 429 和 `Retry-After`。\n\n" +
        "所有错误都是 RFC 9457 问题响应（`application/problem+json`），带稳定的 `code`；标题和说明默认中文，`Accept-Language: en` 时为英文。" +
        "说明文档：仓库 docs/provincial/README.md。");

    internal static WebApplicationBuilder AddProvincialDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(Name, options =>
        {
            options.ShouldInclude = d => d.ActionDescriptor.EndpointMetadata.OfType<ProvincialEndpointMetadata>().Any();
            options.AddPlatformTransformers(Description);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IdempotentEndpointMetadata>().Any())
                {
                    AddHeader(operation, IdempotencyFilter<Persistence.ServiceDbContext>.Header,
                        "幂等键（建议 UUID，≤ 200 字符）：同一键、同一请求体重试时返回首次成功的响应（带 Idempotent-Replayed: true）；同一键、不同请求体返回 422 idempotency_key_reused。键至少保留 24 小时。",
                        "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f");
                }
                if (metadata.OfType<IfMatchEndpointMetadata>().Any())
                {
                    AddHeader(operation, "If-Match", "读取该资源时得到的 ETag；资源已被修改时返回 412 etag_mismatch，缺少时返回 428 if_match_required。", "\"3\"");
                }
                ExampleEveryProblemCode(operation);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    private static void AddHeader(OpenApiOperation operation, string name, string description, string example)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = true,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            Example = JsonValue.Create(example),
        });
    }

    /// <summary>One named example per problem code a response can carry (the platform's transformer shows only the first).</summary>
    private static void ExampleEveryProblemCode(OpenApiOperation operation)
    {
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response.Content?.TryGetValue("application/problem+json", out var media) != true || media!.Example is not JsonObject first)
            {
                continue;
            }
            var codes = (media.Schema as OpenApiSchema)?.AllOf?.OfType<OpenApiSchema>()
                .SelectMany(s => s.Properties?.TryGetValue("code", out var code) == true ? code.Enum ?? [] : [])
                .Select(c => c?.GetValue<string>())
                .OfType<string>()
                .ToList() ?? [];
            if (codes.Count == 0)
            {
                continue;
            }
            media.Examples = codes.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
            {
                Summary = $"{status} {code}",
                Value = new JsonObject
                {
                    ["type"] = Problems.Problems.TypePrefix + code,
                    ["title"] = first["title"]?.DeepClone(),
                    ["status"] = first["status"]?.DeepClone(),
                    ["detail"] = first["detail"]?.DeepClone(),
                    ["code"] = code,
                },
            });
            media.Example = null;
        }
    }
}
