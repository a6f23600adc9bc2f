namespace ExamReview.ImageValidation.Scanning;

/// <summary>
/// Where clamd listens (section <c>ClamAv</c>). <c>Endpoint</c> is <c>tcp://host:port</c> or <c>unix:///path/to/clamd.ctl</c>.
/// When it is set, every upload is scanned before any check and a scanner that cannot be reached holds the upload
/// back (the message is retried), never lets it through. When it is not set the service does not start, unless
/// <see cref="AllowUnscanned"/> says so: a deployment that forgot its scanner must fail loudly, not pass uploads
/// unscanned. Only the embedded newcomer run allows it; the AppHost and compose set an endpoint.
/// </summary>
public sealed class ClamAvOptions
{
    public const string Section = "ClamAv";

    public string? Endpoint { get; set; }

    /// <summary>Connect + send + verdict for one upload; past it the scanner counts as down.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an upload is tried again while clamd is down, and how long apart, before the bus's own retries
    /// (and, past those, the error queue) take over: 20 × 30 s ≈ 10 min per round by default. The retries hold the
    /// message unacknowledged, so their total stays under RabbitMQ's consumer timeout (30 min).
    /// </summary>
    public int ScannerRetryLimit { get; set; } = 20;

    public TimeSpan ScannerRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Run without any scanner (uploads are not checked for malware): the embedded one-process run sets it because a
    /// newcomer's machine has no clamd; nothing else should.
    /// </summary>
    public bool AllowUnscanned { get; set; }

    public bool Configured => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>Start-up refuses anything else: a scanner, or running unscanned said out loud.</summary>
    public bool IsValid => Configured || AllowUnscanned;

    public const string MissingScanner =
        "ClamAv:Endpoint is not set: ImageValidation will not judge uploads without a malware scanner. Set it to a clamd " +
        "(tcp://host:3310 or unix:///path/to/clamd.ctl), or set ClamAv:AllowUnscanned=true for a development run only.";

    public Uri EndpointUri => Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "tcp" or "unix"
        ? uri
        : throw new InvalidOperationException($"ClamAv:Endpoint '{Endpoint}' is not tcp://host:port or unix:///path.");
}
