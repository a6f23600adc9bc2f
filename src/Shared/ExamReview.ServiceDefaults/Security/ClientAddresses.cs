using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>The proxies whose <c>X-Forwarded-For</c> is believed (section <c>ForwardedHeaders</c>).</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the reverse proxies in front of the service, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of the reverse proxies, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>
/// Who the client is, for rate limits and logs: the connection's address, or the address a configured proxy says it
/// forwarded. Only configured proxies are believed — not even loopback by default (the framework's default trusts it),
/// because a header anyone can send would let one client pick a fresh bucket per request; and behind a configured
/// proxy each client keeps its own bucket instead of everyone sharing the proxy's.
/// </summary>
public static class ClientAddresses
{
    public static WebApplicationBuilder AddPlatformForwardedHeaders(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        var anyProxy = settings.KnownProxies.Concat(settings.KnownNetworks).Any(p => !string.IsNullOrWhiteSpace(p));
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // With both lists empty the middleware believes every sender, so no configured proxy means no forwarded headers at all.
            options.ForwardedHeaders = anyProxy ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            // The obsolete list keeps its own copy of the default loopback network and the middleware still consults it:
            // left alone, anyone on loopback (every request behind a local sidecar, every test) could claim any address.
#pragma warning disable ASPDEPR005
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in settings.KnownProxies.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }
            foreach (var network in settings.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)))
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
            }
            // Walk back through every trusted hop; the walk stops at the first address that is not a known proxy.
            options.ForwardLimit = null;
        });
        return builder;
    }
}
