using System.Runtime.InteropServices;
using ExamReview.Imaging.Interop;

namespace ExamReview.Imaging;

/// <summary>Process-wide libvips settings, applied once at first use (or by <see cref="VipsRuntime.Initialise"/>).</summary>
public sealed record VipsRuntimeOptions
{
    /// <summary>
    /// Operations kept in libvips' operation cache. Our inputs are unique uploads, so the cache rarely hits;
    /// it is kept small because cached operations hold references to their input images and buffers.
    /// </summary>
    public int CacheMaxOperations { get; init; } = 20;

    /// <summary>Memory the operation cache may pin (libvips default is 100 MB).</summary>
    public long CacheMaxMemoryBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Open files the cache may keep; we never load from files, so none.</summary>
    public int CacheMaxFiles { get; init; }

    /// <summary>
    /// Worker threads per libvips pipeline. 1 makes requests the unit of parallelism (a service handles
    /// many images at once; per-image threads would only contend for the same cores). 0 = libvips default.
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>
    /// Block every libvips loader except JPEG, PNG, WebP and HEIF, so no code path (e.g. thumbnail's own
    /// format sniffing) can reach the SVG/PDF/ImageMagick/matrix loaders with untrusted bytes.
    /// </summary>
    public bool RestrictLoaders { get; init; } = true;
}

/// <summary>Initialises libvips once per process and exposes its memory counters.</summary>
public static class VipsRuntime
{
    private static readonly Lock s_gate = new();
    private static volatile bool s_initialised;
    private static VipsRuntimeOptions s_options = new();

    /// <summary>
    /// Initialises libvips with <paramref name="options"/>. Safe to call many times and from many threads;
    /// settings from a later call replace earlier ones (cache and concurrency are global in libvips).
    /// </summary>
    public static void Initialise(VipsRuntimeOptions? options = null)
    {
        lock (s_gate)
        {
            if (!s_initialised)
            {
                Interop.ModuleIsolation.RestrictModules();
                if (VipsNative.Init("ExamReview") != 0)
                {
                    throw new VipsException("vips_init", TakeError());
                }

                s_initialised = true;
            }

            s_options = options ?? s_options;
            Apply(s_options);
        }
    }

    internal static void EnsureInitialised()
    {
        if (!s_initialised)
        {
            Initialise();
        }
    }

    /// <summary>The libvips version, e.g. "8.14.1".</summary>
    public static string Version
    {
        get
        {
            EnsureInitialised();
            return $"{VipsNative.Version(0)}.{VipsNative.Version(1)}.{VipsNative.Version(2)}";
        }
    }

    /// <summary>Bytes of pixel memory libvips currently has allocated (its tracked allocator).</summary>
    public static long TrackedMemoryBytes
    {
        get
        {
            EnsureInitialised();
            return (long)VipsNative.TrackedGetMem();
        }
    }

    /// <summary>Peak of <see cref="TrackedMemoryBytes"/> since start.</summary>
    public static long TrackedMemoryHighWaterBytes
    {
        get
        {
            EnsureInitialised();
            return (long)VipsNative.TrackedGetMemHighwater();
        }
    }

    /// <summary>Number of live libvips tracked allocations.</summary>
    public static int TrackedAllocations
    {
        get
        {
            EnsureInitialised();
            return VipsNative.TrackedGetAllocs();
        }
    }

    /// <summary>GObject references currently owned by undisposed <see cref="VipsImage"/> wrappers.</summary>
    public static long LiveWrapperCount => VipsObjectHandle.LiveCount;

    private static void Apply(VipsRuntimeOptions options)
    {
        VipsNative.CacheSetMax(Math.Max(0, options.CacheMaxOperations));
        VipsNative.CacheSetMaxMem((nuint)Math.Max(0, options.CacheMaxMemoryBytes));
        VipsNative.CacheSetMaxFiles(Math.Max(0, options.CacheMaxFiles));
        if (options.Concurrency > 0)
        {
            VipsNative.ConcurrencySet(options.Concurrency);
        }

        VipsNative.BlockUntrustedSet(1);
        VipsNative.OperationBlockSet("VipsForeignLoad", options.RestrictLoaders ? 1 : 0);
        if (options.RestrictLoaders)
        {
            foreach (var allowed in AllowedLoaderClasses)
            {
                VipsNative.OperationBlockSet(allowed, 0);
            }
        }
    }

    // Class names (not nicknames): unblocking a class unblocks its _buffer/_source subclasses too.
    private static readonly string[] AllowedLoaderClasses =
        ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadHeif"];

    /// <summary>
    /// Reads and clears libvips' error buffer. <c>vips_error_buffer_copy</c> does both under libvips' own
    /// lock, so concurrent failures cannot clear each other's text between the read and the clear.
    /// </summary>
    internal static unsafe string TakeError()
    {
        var text = VipsNative.ErrorBufferCopy();
        if (text == IntPtr.Zero)
        {
            return "unknown libvips error";
        }

        try
        {
            var message = Marshal.PtrToStringUTF8(text)?.Trim();
            return string.IsNullOrEmpty(message) ? "unknown libvips error" : message;
        }
        finally
        {
            GLibNative.Free((void*)text);
        }
    }
}
