using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using HarfBuzzSharp;
using SkiaSharp;

namespace ExamReview.Drawing;

/// <summary>
/// Cuts a font down to the characters one document draws (HarfBuzz's hb-subset), so a PDF embeds a few hundred
/// glyphs instead of the whole font. This SkiaSharp build's PDF backend is compiled without its own subsetter and
/// embeds every font file whole: WenQuanYi Micro Hei alone made each printed notice ~2.4 MB and 0.6–1 s of CPU.
/// Glyph advances survive subsetting, so text measured with the full typeface lays out the same with the subset.
/// </summary>
public static partial class FontSubset
{
    private const string HarfBuzz = "libHarfBuzzSharp";

    // The parsed source face of each typeface, made once per process (reading and parsing a 5 MB .ttc is most of the
    // cost otherwise). Keyed by the native typeface handle: SkiaSharp may hand out more than one wrapper for it.
    // A null entry remembers a typeface whose data could not be read. Immutable HarfBuzz faces are thread-safe, so
    // concurrent requests subset from the same face without a lock.
    private static readonly ConcurrentDictionary<IntPtr, Lazy<Face?>> Faces = new();

    /// <summary>
    /// A typeface holding only the glyphs <paramref name="codePoints"/> need from <paramref name="typeface"/> (plus the
    /// .notdef and what hb-subset adds for closure: composite parts and the like), or null with the reason.
    /// </summary>
    public static SKTypeface? TryCreate(SKTypeface typeface, IEnumerable<int> codePoints, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(typeface);
        ArgumentNullException.ThrowIfNull(codePoints);
        try
        {
            var face = Faces.GetOrAdd(typeface.Handle, _ => new Lazy<Face?>(() => Parse(typeface))).Value;
            if (face is null)
            {
                failure = $"the data of typeface {typeface.FamilyName} could not be read";
                return null;
            }
            var data = Subset(face, codePoints);
            if (data is null)
            {
                failure = $"hb-subset refused typeface {typeface.FamilyName}";
                return null;
            }
            using var skData = SKData.CreateCopy(data);
            var subset = SKTypeface.FromData(skData);
            failure = subset is null ? $"the subset of {typeface.FamilyName} ({data.Length} bytes) is not a font Skia reads" : null;
            return subset;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or IOException)
        {
            // A host without the native HarfBuzz (or an older one without hb-subset) still prints, with the whole font.
            failure = $"{e.GetType().Name}: {e.Message}";
            return null;
        }
    }

    private static Face? Parse(SKTypeface typeface)
    {
        // The typeface's own bytes and its index in a collection (.ttc: WenQuanYi Micro Hei is face 0 of two).
        using var stream = typeface.OpenStream(out var index);
        if (stream is null)
        {
            return null;
        }
        using var data = SKData.Create(stream);
        if (data is null)
        {
            return null;
        }
        // Duplicate: HarfBuzz copies the bytes into memory of its own (once per typeface per process), kept alive by
        // the face. (Blob.FromStream does not keep its managed copy alive: hb-subset crashed reading freed memory.)
        using var blob = new Blob(data.Data, (int)data.Size, MemoryMode.Duplicate);
        var face = new Face(blob, index);
        if (face.GlyphCount == 0)
        {
            face.Dispose();
            return null;
        }
        face.MakeImmutable();
        return face;
    }

    /// <summary>The subset font file, or null when hb-subset fails. Every native object made here is destroyed here.</summary>
    private static byte[]? Subset(Face face, IEnumerable<int> codePoints)
    {
        var input = SubsetInputCreateOrFail();
        if (input == IntPtr.Zero)
        {
            return null;
        }
        var subsetFace = IntPtr.Zero;
        var blob = IntPtr.Zero;
        try
        {
            var unicodes = SubsetInputUnicodeSet(input); // owned by the input
            foreach (var codePoint in codePoints)
            {
                SetAdd(unicodes, (uint)codePoint);
            }
            subsetFace = SubsetOrFail(face.Handle, input);
            if (subsetFace == IntPtr.Zero)
            {
                return null;
            }
            blob = FaceReferenceBlob(subsetFace);
            var bytes = BlobGetData(blob, out var length);
            if (bytes == IntPtr.Zero || length == 0)
            {
                return null;
            }
            var copy = new byte[length];
            Marshal.Copy(bytes, copy, 0, (int)length);
            GC.KeepAlive(face);
            return copy;
        }
        finally
        {
            if (blob != IntPtr.Zero)
            {
                BlobDestroy(blob);
            }
            if (subsetFace != IntPtr.Zero)
            {
                FaceDestroy(subsetFace);
            }
            SubsetInputDestroy(input);
        }
    }

    // The managed HarfBuzzSharp does not wrap hb-subset; its native library exports it.
    [LibraryImport(HarfBuzz, EntryPoint = "hb_subset_input_create_or_fail")]
    private static partial IntPtr SubsetInputCreateOrFail();

    [LibraryImport(HarfBuzz, EntryPoint = "hb_subset_input_unicode_set")]
    private static partial IntPtr SubsetInputUnicodeSet(IntPtr input);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_subset_input_destroy")]
    private static partial void SubsetInputDestroy(IntPtr input);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_set_add")]
    private static partial void SetAdd(IntPtr set, uint codePoint);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_subset_or_fail")]
    private static partial IntPtr SubsetOrFail(IntPtr face, IntPtr input);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_face_reference_blob")]
    private static partial IntPtr FaceReferenceBlob(IntPtr face);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_blob_get_data")]
    private static partial IntPtr BlobGetData(IntPtr blob, out uint length);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_blob_destroy")]
    private static partial void BlobDestroy(IntPtr blob);

    [LibraryImport(HarfBuzz, EntryPoint = "hb_face_destroy")]
    private static partial void FaceDestroy(IntPtr face);
}
