using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ExamReview.Notification.Webhooks;

/// <summary>Where receivers may be (<c>Webhooks:Targets</c>).</summary>
public sealed class WebhookTargetOptions
{
    public const string Section = "Webhooks:Targets";

    /// <summary>
    /// Receivers on the loopback interface: a developer's machine and the tests. Off by default: in production a
    /// registered URL must never reach the platform's own local ports.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Private ranges a province's receivers legitimately live in, as CIDR (a dedicated line into a government
    /// network: <c>10.20.0.0/16</c>). Everything else private, link-local or reserved is refused.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];
}

/// <summary>
/// Keeps a registered webhook from reaching inside the platform's network (server-side request forgery): a receiver
/// must be a public address, or loopback or an allowed network when configured. An address written in the URL is
/// checked when the endpoint is registered; a host name is checked at every connection, on the addresses it resolves
/// to then (<see cref="ConnectAsync"/>), so a name that later points inside is refused as well.
/// </summary>
public sealed class WebhookTargetPolicy
{
    // Not routable on the internet or not meant for it: RFC 6890's special-purpose registries, the ones that matter.
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"), IPNetwork.Parse("192.88.99.0/24"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
        // Ways an IPv6 address can carry an IPv4 one inside (local NAT64, 6to4, Teredo, the deprecated compatible form):
        // each could lead to a private IPv4 network through a translator.
        IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("2002::/16"), IPNetwork.Parse("2001::/32"), IPNetwork.Parse("::/96"),
    ];

    private readonly bool _allowLoopback;
    private readonly IPNetwork[] _allowed;

    public WebhookTargetPolicy(IOptions<WebhookTargetOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowLoopback = options.Value.AllowLoopback;
        _allowed = options.Value.AllowedNetworks.Select(n => IPNetwork.TryParse(n, out var network)
            ? network
            : throw new OptionsValidationException(WebhookTargetOptions.Section, typeof(WebhookTargetOptions),
                [$"AllowedNetworks: '{n}' is not a network in CIDR notation (10.20.0.0/16)."])).ToArray();
    }

    public bool AllowsLoopback => _allowLoopback;

    /// <summary>Whether a receiver may be at <paramref name="address"/>.</summary>
    public bool Allows(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return _allowLoopback;
        }
        return _allowed.Any(n => n.Contains(address)) || !NonPublic.Any(n => n.Contains(address));
    }

    /// <summary>
    /// The webhook client's connection: resolves the receiver's host and connects to the first address it may reach,
    /// or refuses before any byte is sent (the attempt fails with the reason, retried on the delivery's schedule).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var resolved = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var reachable = resolved.Where(Allows).ToArray();
        if (reachable.Length == 0)
        {
            throw new HttpRequestException(
                $"Webhook receiver {host} resolves only to addresses webhooks may not reach ({string.Join(", ", resolved.Select(a => a.ToString()))}); see {WebhookTargetOptions.Section}.");
        }
        Socket? socket = new(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(reachable, context.DnsEndPoint.Port, cancellationToken);
            var stream = new NetworkStream(socket, ownsSocket: true);
            socket = null; // the stream owns it now
            return stream;
        }
        finally
        {
            socket?.Dispose();
        }
    }
}
