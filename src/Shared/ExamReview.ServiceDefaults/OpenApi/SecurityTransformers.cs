using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.OpenApi;

namespace ExamReview.ServiceDefaults.OpenApi;

/// <summary>
/// The bearer scheme, and each operation's requirement read from its endpoint metadata, the same metadata the
/// authorization middleware reads: <see cref="IAllowAnonymous"/> makes an operation public (an empty requirement, so a
/// generated client sends no token); everything else needs a token, because the platform's fallback policy requires an
/// authenticated user. The policy or roles an operation names are written into its description.
/// </summary>
public static class SecurityTransformers
{
    public const string SchemeId = "bearer";

    public static void AddScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "平台签发的 JWT（HMAC 签名，或 Auth:Authority 指向的 OIDC 提供方）。声明：`role`（candidate、site-reviewer、" +
                "area-reviewer、operator、province、service），范围声明 `candidate_id`、`site`、`area`。开发运行可用 POST /api/v1/dev/tokens 获取。",
        };
    }

    public static bool IsAnonymous(IList<object> metadata) => metadata.OfType<IAllowAnonymous>().Any();

    public static void Apply(OpenApiOperation operation, IList<object> metadata, OpenApiDocument document)
    {
        if (IsAnonymous(metadata))
        {
            // An empty requirement object: this operation needs no credentials at all.
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }
        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] },
        ];
    }

    /// <summary>Who may call the operation, in words, from its authorization metadata (null: any signed-in caller).</summary>
    public static string? Audience(IList<object> metadata)
    {
        var parts = new List<string>();
        foreach (var data in metadata.OfType<IAuthorizeData>())
        {
            if (!string.IsNullOrEmpty(data.Policy))
            {
                parts.Add($"策略 {data.Policy}");
            }
            if (!string.IsNullOrEmpty(data.Roles))
            {
                parts.Add($"角色 {data.Roles}");
            }
        }
        foreach (var policy in metadata.OfType<AuthorizationPolicy>())
        {
            foreach (var roles in policy.Requirements.OfType<RolesAuthorizationRequirement>())
            {
                parts.Add($"角色 {string.Join(" 或 ", roles.AllowedRoles)}");
            }
        }
        return parts.Count == 0 ? null : string.Join("；", parts.Distinct());
    }
}
