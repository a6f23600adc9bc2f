using System.Threading.RateLimiting;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.RateLimits;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous public endpoints (the photo tool): requests per client address per window.</summary>
    public int PublicPermitsPerWindow { get; set; } = 30;
    public TimeSpan PublicWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public static class RateLimitPolicies
{
    /// <summary>Per client address, for endpoints anyone may call without signing in.</summary>
    public const string PublicPerAddress = "public-per-address";
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
                RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PublicPermitsPerWindow,
                        Window = options.PublicWindow,
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                var problem = Problems.Problems.Localised(StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"请求过于频繁：同一地址每 {options.PublicWindow.TotalSeconds:0} 秒最多 {options.PublicPermitsPerWindow} 次，请稍后再试。",
                    $"At most {options.PublicPermitsPerWindow} requests per {options.PublicWindow.TotalSeconds:0} s from one address; try again later.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }
}
