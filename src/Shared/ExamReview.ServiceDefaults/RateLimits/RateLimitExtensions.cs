using System.Threading.RateLimiting;
using ExamReview.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.RateLimits;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous public endpoints (the photo tool): requests per client address per window.</summary>
    public int PublicPermitsPerWindow { get; set; } = 30;
    public TimeSpan PublicWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Endpoints worth abusing (upload, normalise, hand-over, session and token issue): per signed-in client, per endpoint.</summary>
    public int ClientPermitsPerWindow { get; set; } = 60;

    /// <summary>The same endpoints per client address (after trusted proxies), whoever is signed in: many accounts, one source.</summary>
    public int AddressPermitsPerWindow { get; set; } = 1200;
    public TimeSpan AbuseWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public static class RateLimitPolicies
{
    /// <summary>Per client address, for endpoints anyone may call without signing in.</summary>
    public const string PublicPerAddress = "public-per-address";

    /// <summary>
    /// Per signed-in client and, independently, per client address (<see cref="RateLimitOptions.ClientPermitsPerWindow"/>,
    /// <see cref="RateLimitOptions.AddressPermitsPerWindow"/>), each endpoint its own budget. Calls between services
    /// are not counted: the candidate request that caused them already was.
    /// </summary>
    public const string PerClientAndAddress = "per-client-and-address";
}

public static class RateLimitExtensions
{
    public static WebApplicationBuilder AddPlatformRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RateLimitPolicies.PublicPerAddress, context =>
                FixedWindow("public|" + Address(context), options.PublicPermitsPerWindow, options.PublicWindow));
            // The named policy counts per client; the global limiter below counts the same endpoints per address.
            limiter.AddPolicy(RateLimitPolicies.PerClientAndAddress, context =>
                IsService(context) || context.User.Identity?.IsAuthenticated != true
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : FixedWindow($"client|{Route(context)}|{context.User.Actor()}", options.ClientPermitsPerWindow, options.AbuseWindow));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                !IsAbuseLimited(context) || IsService(context)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : FixedWindow($"address|{Route(context)}|{Address(context)}", options.AddressPermitsPerWindow, options.AbuseWindow));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    Problems.RetryAfter.Set(context.HttpContext.Response, retryAfter);
                }
                var problem = IsAbuseLimited(context.HttpContext)
                    ? Problems.Problems.Localised(StatusCodes.Status429TooManyRequests, "rate_limited",
                        $"请求过于频繁：此操作每个账号每 {options.AbuseWindow.TotalSeconds:0} 秒最多 {options.ClientPermitsPerWindow} 次，同一地址最多 {options.AddressPermitsPerWindow} 次，请稍后再试。",
                        $"Too many requests: this operation allows {options.ClientPermitsPerWindow} per account and {options.AddressPermitsPerWindow} per address every {options.AbuseWindow.TotalSeconds:0} s; try again later.")
                    : Problems.Problems.Localised(StatusCodes.Status429TooManyRequests, "rate_limited",
                        $"请求过于频繁：同一地址每 {options.PublicWindow.TotalSeconds:0} 秒最多 {options.PublicPermitsPerWindow} 次，请稍后再试。",
                        $"At most {options.PublicPermitsPerWindow} requests per {options.PublicWindow.TotalSeconds:0} s from one address; try again later.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    private static RateLimitPartition<string> FixedWindow(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });

    /// <summary>The client's address: the connection's, or what a configured proxy forwarded (see ClientAddresses).</summary>
    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static bool IsService(HttpContext context) => context.User.IsInRole(Roles.Service);

    private static bool IsAbuseLimited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == RateLimitPolicies.PerClientAndAddress;

    private static string Route(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
}
