using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExamReview.ServiceDefaults.Auth;

public static class Roles
{
    public const string Candidate = "candidate";
    public const string SiteReviewer = "site-reviewer";
    public const string AreaReviewer = "area-reviewer";
    public const string Operator = "operator";
    public const string Province = "province";
    public const string Service = "service";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Candidate, SiteReviewer, AreaReviewer, Operator, Province, Service,
    };
}

/// <summary>Claim names carried by platform tokens: who acts, in which role, over which scope.</summary>
public static class PlatformClaims
{
    public const string Role = "role";
    public const string Subject = "sub";
    public const string CandidateId = "candidate_id";
    public const string Site = "site";
    public const string Area = "area";
    /// <summary>A directly signed-in candidate's session id: checked on every request, so sessions can be ended.</summary>
    public const string SessionId = "sid";
}

public static class Policies
{
    public const string Candidate = "candidate";
    public const string SiteReviewer = "site-reviewer";
    public const string AreaReviewer = "area-reviewer";
    public const string Reviewer = "reviewer";
    public const string Operator = "operator";
    public const string Service = "service";
    public const string CandidateOrService = "candidate-or-service";
}

public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "examreview-dev";
    public string Audience { get; set; } = "examreview";

    /// <summary>OIDC authority (national SSO); when set, signing keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>Base64 HMAC keys (≥ 32 bytes). Several may be listed so keys can rotate; the first one signs dev tokens.</summary>
    public List<string> SigningKeys { get; set; } = [];

    public DevTokenOptions DevTokens { get; set; } = new();

    /// <summary>Base64 HMAC keys (≥ 32 bytes) for credentials between services; the first signs. Empty: the signing keys serve.</summary>
    public List<string> ServiceKeys { get; set; } = [];
}

public sealed class DevTokenOptions
{
    /// <summary>Off unless explicitly enabled: the embedded run and the tests turn it on.</summary>
    public bool Enabled { get; set; }
}

public static class ClaimsPrincipalExtensions
{
    public static Guid? CandidateId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PlatformClaims.CandidateId), out var id) ? id : null;

    public static string? Site(this ClaimsPrincipal user) => user.FindFirstValue(PlatformClaims.Site);

    public static string? Area(this ClaimsPrincipal user) => user.FindFirstValue(PlatformClaims.Area);

    public static string Actor(this ClaimsPrincipal user) => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";

    /// <summary>True when the caller is this candidate, or staff whose scope covers the candidate's site or area.</summary>
    public static bool CanActFor(this ClaimsPrincipal user, Guid candidateId, string? siteCode, string? areaCode)
    {
        if (user.IsInRole(Roles.Operator) || user.IsInRole(Roles.Service))
        {
            return true;
        }
        if (user.IsInRole(Roles.Candidate))
        {
            return user.CandidateId() == candidateId;
        }
        if (user.IsInRole(Roles.SiteReviewer))
        {
            return siteCode is not null && string.Equals(user.Site(), siteCode, StringComparison.Ordinal);
        }
        if (user.IsInRole(Roles.AreaReviewer) || user.IsInRole(Roles.Province))
        {
            return areaCode is not null && string.Equals(user.Area(), areaCode, StringComparison.Ordinal);
        }
        return false;
    }
}

public static class PlatformAuthExtensions
{
    /// <summary>What the platform signs with: HMAC-SHA256 under its (rotatable) keys, nothing else.</summary>
    private static readonly string[] PlatformAlgorithms = [SecurityAlgorithms.HmacSha256];

    /// <summary>
    /// What an OIDC provider (<c>Auth:Authority</c>) signs with, its keys from its published metadata: asymmetric only, so
    /// a token can never be forged with a public key used as an HMAC secret.
    /// </summary>
    private static readonly string[] IdentityProviderAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    /// <param name="hostedServices">Discovery names of the services this process hosts: the audiences its service scheme accepts (none: no service may call).</param>
    public static WebApplicationBuilder AddPlatformAuth(this WebApplicationBuilder builder, IReadOnlyCollection<string>? hostedServices = null)
    {
        hostedServices ??= [];
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrWhiteSpace(options.Authority) && options.SigningKeys.Count == 0)
        {
            throw new InvalidOperationException(
                "Authentication is not configured: set Auth:Authority (OIDC) or Auth:SigningKeys (base64 HMAC keys).");
        }

        builder.Services.AddSingleton(options);
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                // WWW-Authenticate says only "Bearer": why a token failed (expired, unknown key id) helps an attacker, not a client.
                jwt.IncludeErrorDetails = false;
                jwt.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
                jwt.RequireHttpsMetadata = options.Authority?.StartsWith("https://", StringComparison.Ordinal) ?? false;
                jwt.TokenValidationParameters = Validation(options.Issuer, [options.Audience], options.SigningKeys,
                    string.IsNullOrWhiteSpace(options.Authority) ? PlatformAlgorithms : [.. PlatformAlgorithms, .. IdentityProviderAlgorithms]);
                jwt.Events = new JwtBearerEvents
                {
                    // The service role comes only with a service credential (its own scheme), never in a platform token.
                    OnTokenValidated = async context =>
                    {
                        if (context.Principal?.IsInRole(Roles.Service) == true)
                        {
                            context.Fail("The service role is not accepted in a platform token.");
                            return;
                        }
                        // A candidate session (direct sign-in) that has ended is refused like an expired token (401).
                        // Only the platform's own tokens (HMAC, its keys) name its sessions: an identity provider's
                        // tokens may carry a sid of their own, which is the provider's session, not one of ours.
                        if (context.SecurityToken is JsonWebToken { Alg: SecurityAlgorithms.HmacSha256 }
                            && context.Principal?.FindFirstValue(PlatformClaims.SessionId) is { } sid
                            && !await CandidateSessionIsOpenAsync(context.HttpContext, context.Principal, sid))
                        {
                            context.Fail("The session has ended.");
                        }
                    },
                };
            })
            .AddJwtBearer(ServiceTokens.Scheme, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.IncludeErrorDetails = false;
                jwt.TokenValidationParameters = Validation(options.Issuer, hostedServices.Select(ServiceTokens.AudienceFor), ServiceTokens.Keys(options), PlatformAlgorithms);
            });
        builder.Services.AddSingleton<ServiceTokens>();
        builder.Services.TryAddSingleton<ICandidateSessionCheck, RemoteCandidateSessionCheck>();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Candidate, p => p.RequireRole(Roles.Candidate).RequireClaim(PlatformClaims.CandidateId))
            .AddPolicy(Policies.SiteReviewer, p => p.RequireRole(Roles.SiteReviewer).RequireClaim(PlatformClaims.Site))
            .AddPolicy(Policies.AreaReviewer, p => p.RequireRole(Roles.AreaReviewer).RequireClaim(PlatformClaims.Area))
            .AddPolicy(Policies.Reviewer, p => p.RequireAssertion(c =>
                (c.User.IsInRole(Roles.SiteReviewer) && c.User.HasClaim(x => x.Type == PlatformClaims.Site)) ||
                (c.User.IsInRole(Roles.AreaReviewer) && c.User.HasClaim(x => x.Type == PlatformClaims.Area))))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator))
            // Internal endpoints: a service credential for this service, never a person (an operator included).
            .AddPolicy(Policies.Service, p => p.AddAuthenticationSchemes(ServiceTokens.Scheme).RequireRole(Roles.Service))
            .AddPolicy(Policies.CandidateOrService, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, ServiceTokens.Scheme)
                .RequireAssertion(c => (c.User.IsInRole(Roles.Candidate) && c.User.HasClaim(x => x.Type == PlatformClaims.CandidateId)) || c.User.IsInRole(Roles.Service)))
            // Everything requires a token unless an endpoint opts out (health, the public photo tool).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        return builder;
    }

    private static Task<bool> CandidateSessionIsOpenAsync(Microsoft.AspNetCore.Http.HttpContext http, ClaimsPrincipal principal, string sid) =>
        Guid.TryParse(sid, out var sessionId) && principal.CandidateId() is { } candidateId
            ? http.RequestServices.GetRequiredService<ICandidateSessionCheck>().IsOpenAsync(sessionId, candidateId, http.RequestAborted)
            : Task.FromResult(false);

    /// <summary>
    /// What both bearer schemes check: our issuer, one of the audiences, a signature by one of the keys with one of
    /// <paramref name="algorithms"/> only (no <c>alg: none</c>, no switching to another), a lifetime, and where the roles are.
    /// </summary>
    private static TokenValidationParameters Validation(string issuer, IEnumerable<string> audiences, IEnumerable<string> keys, string[] algorithms) => new()
    {
        ValidIssuer = issuer,
        ValidAudiences = audiences.ToList(),
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        RoleClaimType = PlatformClaims.Role,
        NameClaimType = PlatformClaims.Subject,
        IssuerSigningKeys = keys.Select(DevTokenIssuer.KeyFromBase64).ToList(),
        ValidAlgorithms = algorithms,
    };
}
