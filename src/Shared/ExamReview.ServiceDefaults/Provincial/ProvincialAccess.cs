using System.Security.Claims;
using System.Threading.RateLimiting;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>Who a provincial system is: a machine client (client credentials) with the province role, scoped to one area.</summary>
public static class ProvincialAccess
{
    public const string Policy = "province";
    public const string RateLimitPolicy = "provincial-per-client";
    public const string ClientNameClaim = "client_name";
    public const string Tag = "Provincial";

    /// <summary>The client's stable id (the token's subject): what keys and rate limits are counted by.</summary>
    public static string ProvincialClientId(this ClaimsPrincipal user) => user.FindFirstValue(PlatformClaims.Subject) ?? "unknown";

    /// <summary>The name recorded as the actor on timelines and corrections: the client's name, else its id.</summary>
    public static string ProvincialActor(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClientNameClaim) is { Length: > 0 } name ? name : user.ProvincialClientId();

    /// <summary>
    /// Registers what a service's integration endpoints need: the province policy, the per-client rate limit, the
    /// versioned document, and — for a service that accepts writes — its idempotency keys and their clean-up.
    /// Safe to call from every module of one host.
    /// </summary>
    public static WebApplicationBuilder AddProvincialIntegration<TDbContext>(this WebApplicationBuilder builder, bool acceptsWrites)
        where TDbContext : ServiceDbContext
    {
        if (acceptsWrites)
        {
            builder.Services.AddHostedService<IdempotencyKeyCleanup<TDbContext>>();
        }
        if (builder.Services.Any(d => d.ServiceType == typeof(ProvincialRateLimitOptions)))
        {
            return builder;
        }
        var limits = builder.Configuration.GetSection(ProvincialRateLimitOptions.Section).Get<ProvincialRateLimitOptions>() ?? new ProvincialRateLimitOptions();
        builder.Services.AddSingleton(limits);
        builder.Services.TryAddSingleton(builder.Configuration.GetSection(IdempotencyOptions.Section).Get<IdempotencyOptions>() ?? new IdempotencyOptions());
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.RequireRole(Roles.Province).RequireClaim(PlatformClaims.Area));
        builder.Services.PostConfigure<RateLimiterOptions>(options =>
        {
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                "provincial|" + context.User.ProvincialClientId(),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitsFor(context.User.ProvincialClientId()), Window = limits.Window, QueueLimit = 0 }));
            var platform = options.OnRejected;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName != RateLimitPolicy)
                {
                    if (platform is not null)
                    {
                        await platform(context, cancellationToken);
                    }
                    return;
                }
                var permits = limits.PermitsFor(context.HttpContext.User.ProvincialClientId());
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limits.Window;
                Problems.RetryAfter.Set(context.HttpContext.Response, retryAfter);
                await Problems.Problems.Localised(StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"请求过于频繁：每个对接客户端每 {limits.Window.TotalSeconds:0} 秒最多 {permits} 次，请按 Retry-After 等待后重试。",
                    $"Too many requests: each integration client may make {permits} calls every {limits.Window.TotalSeconds:0} s; wait for Retry-After and retry.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        builder.AddProvincialDocument();
        return builder;
    }

    /// <summary>The group every integration endpoint of a service lives in: province only, rate-limited per client, in the versioned document.</summary>
    public static RouteGroupBuilder MapProvincialGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix)
            .RequireAuthorization(Policy)
            .RequireRateLimiting(RateLimitPolicy)
            .WithTags(Tag)
            .WithMetadata(ProvincialEndpointMetadata.Instance);

    /// <summary>An integration POST: needs an Idempotency-Key, stored in <typeparamref name="TDbContext"/>'s database.</summary>
    public static RouteHandlerBuilder RequireIdempotencyKey<TDbContext>(this RouteHandlerBuilder builder) where TDbContext : ServiceDbContext =>
        builder.AddEndpointFilter<RouteHandlerBuilder, IdempotencyFilter<TDbContext>>()
            .WithMetadata(new IdempotentEndpointMetadata())
            .ProducesProblemCodes(StatusCodes.Status400BadRequest, IdempotencyProblems.KeyRequiredCode)
            .ProducesProblemCodes(StatusCodes.Status409Conflict, IdempotencyProblems.InProgressCode)
            .ProducesProblemCodes(StatusCodes.Status422UnprocessableEntity, IdempotencyProblems.KeyReusedCode);

    /// <summary>A write whose handler checks <c>If-Match</c> (<see cref="Preconditions"/>).</summary>
    public static RouteHandlerBuilder RequireIfMatch(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IfMatchEndpointMetadata())
            .ProducesProblemCodes(StatusCodes.Status412PreconditionFailed, IdempotencyProblems.StaleCode)
            .ProducesProblemCodes(StatusCodes.Status428PreconditionRequired, IdempotencyProblems.IfMatchRequiredCode);
}

public sealed class ProvincialRateLimitOptions
{
    public const string Section = "RateLimits:Provincial";

    public int PermitsPerWindow { get; set; } = 600;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Budgets agreed with one client (client id → permits per window), e.g. for a province's nightly bulk sync.</summary>
    public Dictionary<string, int> Clients { get; set; } = new(StringComparer.Ordinal);

    public int PermitsFor(string clientId) => Clients.TryGetValue(clientId, out var permits) ? permits : PermitsPerWindow;
}

/// <summary>Marks an endpoint of the provincial integration surface (it belongs in the versioned provincial document).</summary>
public sealed class ProvincialEndpointMetadata
{
    public static readonly ProvincialEndpointMetadata Instance = new();

    private ProvincialEndpointMetadata()
    {
    }
}

/// <summary>Marks a POST that takes an Idempotency-Key (the document lists the header).</summary>
public sealed class IdempotentEndpointMetadata;

/// <summary>Marks a write that needs If-Match (the document lists the header).</summary>
public sealed class IfMatchEndpointMetadata;
