using System.Net;
using System.Net.Sockets;

namespace ExamReview.Notification.Webhooks;

/// <summary>
/// A province's receiver: where its events go, which event types it wants, and the secrets they are signed with.
/// Endpoints belong to one exam area (the province's <c>area</c> claim); events of other areas never reach them.
/// </summary>
public sealed class WebhookEndpoint
{
    public const int MaxPerArea = 10;

    public Guid Id { get; set; }
    public string AreaCode { get; set; } = "";
    public string Url { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>Subscribed event types, space-separated in the row (a handful of short names, never queried one by one).</summary>
    public string EventTypes { get; set; } = "";

    /// <summary>A disabled endpoint keeps its pending deliveries; they wait (in order) until it is enabled again.</summary>
    public bool Enabled { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }

    public List<WebhookSecret> Secrets { get; set; } = [];

    public IReadOnlyList<string> EventTypeList => EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventType) => EventTypeList.Contains(eventType, StringComparer.Ordinal);

    public void Subscribe(IEnumerable<string> eventTypes, DateTimeOffset now)
    {
        EventTypes = string.Join(' ', eventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        UpdatedAt = now;
    }

    /// <summary>
    /// Applies a change (a null field stays as it is). The endpoint is its province's: operators oversee every
    /// area's receivers and may pause or resume one (a receiver failing for hours, a province's call), but they never
    /// point a province's events at another address, change what it receives or rename it.
    /// </summary>
    public WebhookChangeRefusal? Change(WebhookEndpointChange change, bool byOperator, DateTimeOffset now)
    {
        if (Refuse(change, byOperator) is { } refusal)
        {
            return refusal;
        }
        Url = change.Url ?? Url;
        Description = change.Description ?? Description;
        Enabled = change.Enabled ?? Enabled;
        if (change.EventTypes is not null)
        {
            Subscribe(change.EventTypes, now);
        }
        UpdatedAt = now;
        return null;
    }

    /// <summary>
    /// One receiver, one endpoint: among an area's enabled endpoints no two share a URL (compared as
    /// <see cref="WebhookUrls.Normalise"/> does), or every event would be delivered — and retried, and paused — twice.
    /// A disabled endpoint does not count: a province may register the address afresh while the old one rests (it
    /// cannot then be resumed until one of the two goes). Returns the enabled endpoint of the area, other than
    /// <paramref name="except"/>, that already has <paramref name="url"/>, or null.
    /// </summary>
    public static WebhookEndpoint? DuplicateOf(IEnumerable<WebhookEndpoint> areaEndpoints, string url, Guid? except = null)
    {
        ArgumentNullException.ThrowIfNull(areaEndpoints);
        var wanted = WebhookUrls.Normalise(url);
        return areaEndpoints.FirstOrDefault(e => e.Enabled && e.Id != except && WebhookUrls.Normalise(e.Url) == wanted);
    }

    /// <summary>Whether the caller may ask for this change at all, before its values are checked.</summary>
    public static WebhookChangeRefusal? Refuse(WebhookEndpointChange change, bool byOperator) =>
        byOperator && (change.Url is not null || change.EventTypes is not null || change.Description is not null)
            ? WebhookChangeRefusal.OperatorMayOnlyPause
            : null;

    /// <summary>The secrets that sign a delivery now, newest first: the current one and any still in its rotation overlap.</summary>
    public IReadOnlyList<WebhookSecret> SigningSecrets(DateTimeOffset now) =>
        Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now).OrderByDescending(s => s.CreatedAt).ToList();

    /// <summary>
    /// Issues a new secret; the ones still signing keep signing until <paramref name="overlap"/> has passed, so the
    /// receiver can switch to the new secret while deliveries carry both signatures. Expired secrets are dropped.
    /// </summary>
    public WebhookSecret RotateSecret(DateTimeOffset now, TimeSpan overlap)
    {
        if (overlap < TimeSpan.Zero || overlap > WebhookRotation.MaxOverlap)
        {
            throw new ArgumentOutOfRangeException(nameof(overlap), overlap, $"The overlap must be between 0 and {WebhookRotation.MaxOverlap}.");
        }
        Secrets.RemoveAll(s => s.ExpiresAt is { } expires && expires <= now);
        foreach (var secret in Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now + overlap))
        {
            secret.ExpiresAt = now + overlap;
        }
        var issued = WebhookSecret.Issue(Id, now);
        Secrets.Add(issued);
        UpdatedAt = now;
        return issued;
    }
}

/// <summary>A change of an endpoint, already validated as input; a null field stays as it is.</summary>
public sealed record WebhookEndpointChange(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled);

public enum WebhookChangeRefusal
{
    /// <summary>An operator asked to change more than whether the endpoint is enabled.</summary>
    OperatorMayOnlyPause,
}

public static class WebhookRotation
{
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);
}

/// <summary>One signing secret of an endpoint (<c>whsec_</c> + base64 of 32 random bytes). Shown once, when issued.</summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }

    /// <summary>The raw key bytes (the HMAC key). Readable to the service only: it must sign with them.</summary>
    public byte[] Key { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while current; set when a rotation replaced it (it signs until then).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public string Display => Prefix + Convert.ToBase64String(Key);

    /// <summary>False when the stored key could not be opened (the key ring no longer has the key that sealed it).</summary>
    public bool CanSign => Key.Length > 0;

    public static WebhookSecret Issue(Guid endpointId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        EndpointId = endpointId,
        Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        CreatedAt = now,
    };
}

/// <summary>Why a receiver URL is refused, or null when it is acceptable.</summary>
public enum WebhookUrlRefusal
{
    Invalid,
    Insecure,

    /// <summary>The URL names an address inside the platform's network (private, link-local, loopback, reserved).</summary>
    Forbidden,
}

/// <summary>
/// Receivers are reached over HTTPS. Plain HTTP is accepted only to the loopback interface (a developer's machine, the
/// tests): anywhere else the event data and its signature would cross the network in clear. An address written in
/// the URL must be one <see cref="WebhookTargetPolicy"/> allows; a host name is checked when connecting.
/// </summary>
public static class WebhookUrls
{
    public const int MaxLength = 2000;

    public static WebhookUrlRefusal? Check(string? url, WebhookTargetPolicy targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return WebhookUrlRefusal.Invalid;
        }
        var loopback = IsLoopback(uri);
        if ((loopback && !targets.AllowsLoopback) || (Address(uri) is { } address && !targets.Allows(address)))
        {
            return WebhookUrlRefusal.Forbidden;
        }
        return uri.Scheme == Uri.UriSchemeHttps || loopback ? null : WebhookUrlRefusal.Insecure;
    }

    /// <summary>
    /// The form two URLs are compared in: scheme and host in lower case, the port always written (the scheme's default
    /// included), no trailing slash on the path; path and query stay case-sensitive, as servers treat them.
    /// A URL that does not parse is compared as written.
    /// </summary>
    public static string Normalise(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            return url;
        }
        var host = uri.IdnHost.ToLowerInvariant();
        return $"{uri.Scheme.ToLowerInvariant()}://{host}:{uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}{uri.AbsolutePath.TrimEnd('/')}{uri.Query}";
    }

    private static IPAddress? Address(Uri uri) =>
        IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address)
        && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? address : null;

    private static bool IsLoopback(Uri uri) =>
        string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (Address(uri) is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));
}
