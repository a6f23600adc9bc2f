using System.Reflection;
using NetVips;

namespace ExamReview.Imaging;

/// <summary>
/// Clears the garbage-collector hint NetVips attaches to an image it makes over existing memory.
/// </summary>
/// <remarks>
/// NetVips records the full size of such an image and calls <see cref="GC.AddMemoryPressure"/> with it every time
/// the image is passed to an operation. For a ~2.4 MB decoded document that induced a gen-2 collection about
/// every third document (measured: ~330 per 1000 documents in the benchmark against ~20 for the floor, about
/// 0.3 CPU ms per document here, more in a service with a larger heap). The hint is wrong for
/// <see cref="DecodedPixels"/>: that memory is freed deterministically, never by a finaliser, so the collector
/// has nothing to reclaim. The hint is an internal field of NetVips 3.x; if a later NetVips renames it, this
/// does nothing (the test <c>DecodedPixels_lend_images_without_a_collector_hint</c> then fails and says so).
/// </remarks>
internal static class GcPressureHint
{
    private static readonly FieldInfo? s_field =
        typeof(GObject).GetField("MemoryPressure", BindingFlags.NonPublic | BindingFlags.Instance) is { FieldType: var t } f && t == typeof(long) ? f : null;

    /// <summary>True when this NetVips exposes the hint (so <see cref="Clear"/> works).</summary>
    public static bool Supported => s_field is not null;

    public static void Clear(Image image) => s_field?.SetValue(image, 0L);

    /// <summary>The hint NetVips holds for <paramref name="image"/> (bytes), or -1 where not supported.</summary>
    public static long Of(Image image) => s_field?.GetValue(image) is long bytes ? bytes : -1;
}
