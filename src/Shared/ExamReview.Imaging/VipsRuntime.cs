using NetVips;

namespace ExamReview.Imaging;

/// <summary>Process-wide libvips settings, applied once at first use (or by <see cref="VipsRuntime.Initialise"/>).</summary>
public sealed record VipsRuntimeOptions
{
    /// <summary>
    /// Operations kept in libvips' operation cache. 0 (default): our inputs are unique uploads, so the cache
    /// would rarely hit, and with it off no cached operation can hold a reference to an image whose pixels
    /// <see cref="DecodedPixels"/> lends out (they are freed as soon as the image is disposed).
    /// </summary>
    public int CacheMaxOperations { get; init; }

    /// <summary>Memory the operation cache may pin (libvips default is 100 MB).</summary>
    public long CacheMaxMemoryBytes { get; init; }

    /// <summary>Open files the cache may keep; we never load from files, so none.</summary>
    public int CacheMaxFiles { get; init; }

    /// <summary>
    /// Worker threads per libvips pipeline. 1 makes requests the unit of parallelism (a service handles
    /// many images at once; per-image threads would only contend for the same cores). 0 = libvips default.
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// Block every libvips loader except JPEG, PNG, WebP and HEIF, so no code path (e.g. thumbnail's own
    /// format sniffing) can reach the SVG/GIF/TIFF/matrix loaders NetVips.Native ships with untrusted bytes.
    /// </summary>
    public bool RestrictLoaders { get; init; } = true;

    /// <summary>
    /// Tunes glibc's malloc for large pixel buffers (what libvips' documentation recommends for servers):
    /// buffers over 3 MB are always mapped and so go back to the system when freed (by default glibc raises
    /// that threshold after the first large free, after which 12 MB decodes come from the heap and stay in the
    /// process), and at most two malloc arenas (instead of eight per core) hold freed memory for reuse. Measured
    /// here on a 6000 × 6000 PNG: about 15 MB less peak memory per image in flight. Not lower than 3 MB, and the
    /// heap is trimmed only above 32 MB: the ~2.4 MB buffers of an ordinary document then come from the heap and
    /// are reused without page faults (a 128 KB threshold with glibc's default trimming, which a fixed threshold
    /// brings back, cost the pipeline about a third more CPU time per document).
    /// </summary>
    public bool TuneMalloc { get; init; } = true;
}

/// <summary>Initialises libvips (through NetVips) once per process and exposes its memory counters.</summary>
public static class VipsRuntime
{
    // Class names (not nicknames): unblocking a class unblocks its _buffer/_source subclasses too.
    private static readonly string[] AllowedLoaderClasses =
        ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif"];

    private static readonly Lock s_gate = new();
    private static VipsRuntimeOptions? s_options;

    /// <summary>
    /// Applies <paramref name="options"/>. Safe to call many times and from many threads; settings from a later
    /// call replace earlier ones (cache and concurrency are global in libvips).
    /// </summary>
    public static void Initialise(VipsRuntimeOptions? options = null)
    {
        lock (s_gate)
        {
            s_options = options ?? s_options ?? new VipsRuntimeOptions();
            Apply(s_options);
        }
    }

    /// <summary>Applies the default settings unless <see cref="Initialise"/> already ran.</summary>
    public static void EnsureInitialised()
    {
        if (Volatile.Read(ref s_options) is null)
        {
            Initialise();
        }
    }

    /// <summary>The libvips version, e.g. "8.18.7".</summary>
    public static string Version
    {
        get
        {
            EnsureInitialised();
            return $"{NetVips.NetVips.Version(0)}.{NetVips.NetVips.Version(1)}.{NetVips.NetVips.Version(2)}";
        }
    }

    /// <summary>Bytes of pixel memory libvips currently has allocated (its tracked allocator).</summary>
    public static long TrackedMemoryBytes => (long)Stats.Mem;

    /// <summary>Peak of <see cref="TrackedMemoryBytes"/> since start.</summary>
    public static long TrackedMemoryHighWaterBytes => (long)Stats.MemHighwater;

    /// <summary>Number of live libvips tracked allocations.</summary>
    public static int TrackedAllocations => Stats.Allocations;

    private static void Apply(VipsRuntimeOptions options)
    {
        if (options.TuneMalloc && OperatingSystem.IsLinux())
        {
            GlibcMalloc.Tune(mmapThreshold: 3 * 1024 * 1024, trimThreshold: 32 * 1024 * 1024, arenaMax: 2);
        }

        Cache.Max = Math.Max(0, options.CacheMaxOperations);
        Cache.MaxMem = (ulong)Math.Max(0, options.CacheMaxMemoryBytes);
        Cache.MaxFiles = Math.Max(0, options.CacheMaxFiles);
        if (options.Concurrency > 0)
        {
            NetVips.NetVips.Concurrency = options.Concurrency;
        }

        NetVips.NetVips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", options.RestrictLoaders);
        if (options.RestrictLoaders)
        {
            foreach (var allowed in AllowedLoaderClasses)
            {
                Operation.Block(allowed, false);
            }
        }
    }
}

/// <summary>glibc's mallopt (see <see cref="VipsRuntimeOptions.TuneMalloc"/>); a no-op where libc is not glibc.</summary>
internal static partial class GlibcMalloc
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD
    private const int ArenaMax = -8; // M_ARENA_MAX

    public static void Tune(int mmapThreshold, int trimThreshold, int arenaMax)
    {
        try
        {
            _ = Mallopt(MmapThreshold, mmapThreshold);
            _ = Mallopt(TrimThreshold, trimThreshold);
            _ = Mallopt(ArenaMax, arenaMax);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and others: their allocators need no such tuning.
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
