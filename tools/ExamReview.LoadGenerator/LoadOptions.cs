using System.Globalization;

namespace ExamReview.LoadGenerator;

/// <summary>
/// What one run does. Every run is bounded twice: by the number of candidates and by the upload phase's duration,
/// then by the drain time it waits for verdicts, cases and SMS; it stops by itself.
/// </summary>
internal sealed record LoadOptions
{
    /// <summary>Candidates in total (each uploads 7–8 documents, submits, and may be returned once).</summary>
    public int Candidates { get; init; } = 200;

    /// <summary>Candidates working at the same time (each uploads its documents up to six at once, as a browser does).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>
    /// Open loop: offer this many document uploads per second (candidates arriving on an <see cref="ArrivalSchedule"/>),
    /// with <see cref="Concurrency"/> as the most candidates in flight; null for the closed loop of <see cref="Concurrency"/>.
    /// </summary>
    public double? UploadsPerSecond { get; init; }

    /// <summary>The upload phase ends after this many seconds even with candidates left.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Load driven before the measured phase, at the same rate, and left out of every figure (its uploads still go
    /// through the end check). A freshly started service compiles every path on its first calls (tiered JIT): a run
    /// that measures from the first upload reports start-up, not the steady state a peak evening sees.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    /// <summary>How long to wait after the upload phase for verdicts, review cases and SMS to arrive.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Site reviewers claiming and deciding (each in its own loop).</summary>
    public int Reviewers { get; init; } = 2;

    /// <summary>The share of cases a reviewer returns for changes (each return must produce exactly one SMS).</summary>
    public double ReturnRate { get; init; } = 0.25;

    /// <summary>Measure the floors (S3, PostgreSQL, RabbitMQ, libvips) before the load.</summary>
    public bool Floors { get; init; } = true;

    /// <summary>After the run, check every upload, submission and return against the databases and the object store.</summary>
    public bool Check { get; init; } = true;

    /// <summary>Services as Name=URL; when empty the generator starts the AppHost itself.</summary>
    public Dictionary<string, Uri> Services { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Replicas of MaterialStorage and ImageValidation when the generator starts the AppHost.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Run every service with <see cref="Replicas"/> instances (fault runs kill one instance of each).</summary>
    public bool ReplicateAll { get; init; }

    /// <summary>The database name prefix of the run (the AppHost's Infrastructure:DatabasePrefix).</summary>
    public string DatabasePrefix { get; init; } = "er_load_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A command run in the background once the load starts (scripts/faults.sh's fault schedule).</summary>
    public string? DuringLoad { get; init; }

    /// <summary>Seconds of rest measured (CPU and context switches per process) before the load, 0 for none.</summary>
    public int RestSeconds { get; init; } = 20;

    /// <summary>
    /// Seconds the platform is left alone before the rest is measured: start-up work (migrations, backfills, tiered JIT
    /// recompiling hot methods, the pollers' first wake-ups) would otherwise count as resting.
    /// </summary>
    public int SettleSeconds { get; init; } = 10;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--candidates" => options with { Candidates = Int() },
                "--concurrency" => options with { Concurrency = Int() },
                "--rate" => options with { UploadsPerSecond = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Int()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Int()) },
                "--drain" => options with { Drain = TimeSpan.FromSeconds(Int()) },
                "--reviewers" => options with { Reviewers = Int() },
                "--return-rate" => options with { ReturnRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--replicas" => options with { Replicas = Int() },
                "--rest" => options with { RestSeconds = Int() },
                "--settle" => options with { SettleSeconds = Int() },
                "--prefix" => options with { DatabasePrefix = Next() },
                "--during" => options with { DuringLoad = Next() },
                "--replicate-all" => options with { ReplicateAll = true },
                "--no-floors" => options with { Floors = false },
                "--no-check" => options with { Check = false },
                "--url" => WithService(options, Next()),
                _ => throw new ArgumentException($"unknown option {args[i]}; see tools/ExamReview.LoadGenerator/README.md"),
            };
        }
        if (options.Candidates < 1 || options.Concurrency < 1 || options.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("--candidates, --concurrency and --duration must be positive");
        }
        if (options.Warmup < TimeSpan.Zero)
        {
            throw new ArgumentException("--warmup must be zero or more seconds");
        }
        if (options.UploadsPerSecond is { } rate && (!(rate > 0) || double.IsInfinity(rate)))
        {
            throw new ArgumentException("--rate must be a positive number of uploads per second");
        }
        return options;
    }

    private static LoadOptions WithService(LoadOptions options, string value)
    {
        var parts = value.Split('=', 2);
        var uri = parts.Length == 2 ? new Uri(parts[1]) : throw new ArgumentException("--url takes Name=http://127.0.0.1:port");
        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"{uri}: the load generator drives loopback addresses only");
        }
        options.Services[parts[0]] = uri;
        return options;
    }
}
