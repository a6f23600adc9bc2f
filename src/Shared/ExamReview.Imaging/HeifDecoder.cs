using System.Runtime.InteropServices;
using NetVips;

namespace ExamReview.Imaging;

/// <summary>
/// Decodes HEIC through the system libheif (Debian's libheif1 with its libde265 HEVC decoder). NetVips.Native
/// 8.18.7 ships heifload, but its libheif is built without any HEVC decoder ("Support for this compression format
/// has not been built in: HEVC"), so it opens only AVIF; phone photos are HEVC. The header is read and the pixel
/// budget enforced before anything is decoded; libheif applies the container's rotation and mirroring itself, so
/// the result is upright. When libheif1 is not installed, HEIF goes to NetVips (AVIF decodes, HEVC fails with
/// libvips' error as a <see cref="CorruptImageException"/>).
/// </summary>
public static partial class HeifDecoder
{
    private const string Library = "libheif.so.1";
    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>True when the system libheif could be loaded.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>
    /// Decodes the primary image to 8-bit sRGB (with alpha when it has one), upright; the image's pixels are
    /// libheif's own buffer, released when libvips drops the image.
    /// </summary>
    /// <exception cref="PixelBudgetExceededException">The header declares more than <paramref name="maxPixels"/>.</exception>
    /// <exception cref="CorruptImageException">libheif refused the file.</exception>
    public static unsafe Image Decode(ReadOnlySpan<byte> data, long maxPixels, out ImageHeader header)
    {
        var context = Native.ContextAlloc();
        nint handle = 0, decoded = 0;
        try
        {
            fixed (byte* p = data)
            {
                Check(Native.ReadFromMemoryWithoutCopy(context, p, (nuint)data.Length, 0), "heif_context_read_from_memory");
                Check(Native.GetPrimaryImageHandle(context, out handle), "heif_context_get_primary_image_handle");
                int width = Native.HandleGetWidth(handle), height = Native.HandleGetHeight(handle);
                header = new ImageHeader(ImageFormat.Heif, width, height, 1);
                UntrustedImage.EnforceBudget(width, height, maxPixels);
                var alpha = Native.HandleHasAlpha(handle) != 0;
                Check(Native.DecodeImage(handle, out decoded, ColorspaceRgb, alpha ? ChromaRgba : ChromaRgb, 0), "heif_decode_image");
            }

            return Wrap(decoded, alpha: Native.ImageGetBitsPerPixel(decoded, ChannelInterleaved) == 32, ref decoded);
        }
        finally
        {
            if (decoded != 0)
            {
                Native.ImageRelease(decoded);
            }

            if (handle != 0)
            {
                Native.HandleRelease(handle);
            }

            Native.ContextFree(context);
        }
    }

    /// <summary>Hands libheif's pixel buffer to libvips without a copy when its rows are unpadded.</summary>
    private static unsafe Image Wrap(nint decoded, bool alpha, ref nint owned)
    {
        var bands = alpha ? 4 : 3;
        int width = Native.ImageGetWidth(decoded, ChannelInterleaved), height = Native.ImageGetHeight(decoded, ChannelInterleaved);
        var plane = Native.ImageGetPlaneReadonly(decoded, ChannelInterleaved, out var stride);
        if (plane == null)
        {
            throw new CorruptImageException("heif_image_get_plane", "libheif returned no interleaved plane");
        }

        var rowBytes = width * bands;
        if (stride != rowBytes)
        {
            var compact = new byte[(long)rowBytes * height];
            for (var y = 0; y < height; y++)
            {
                new ReadOnlySpan<byte>(plane + ((long)y * stride), rowBytes).CopyTo(compact.AsSpan(y * rowBytes));
            }

            using var copied = Image.NewFromMemoryCopy(compact, width, height, bands, Enums.BandFormat.Uchar);
            return copied.Copy(interpretation: Enums.Interpretation.Srgb);
        }

        var image = Image.NewFromMemory((nint)plane, (ulong)rowBytes * (ulong)height, width, height, bands, Enums.BandFormat.Uchar);
        var release = owned;
        owned = 0; // libvips owns it from here: released with the image
        image.OnPostClose += () => Native.ImageRelease(release);
        using (image)
        {
            return image.Copy(interpretation: Enums.Interpretation.Srgb);
        }
    }

    private static void Check(HeifError error, string step)
    {
        if (error.Code != 0)
        {
            var message = Marshal.PtrToStringUTF8(error.Message) ?? "unknown libheif error";
            throw new CorruptImageException(step, $"{message} ({error.Code}.{error.Subcode})");
        }
    }

    private static bool Probe()
    {
        try
        {
            return NativeLibrary.TryLoad(Library, out _) && Native.GetVersionNumber() >= 0x010C0000; // 1.12+
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int ColorspaceRgb = 1;
    private const int ChromaRgb = 10;
    private const int ChromaRgba = 11;
    private const int ChannelInterleaved = 10;

    [StructLayout(LayoutKind.Sequential)]
    internal struct HeifError
    {
        public int Code;
        public int Subcode;
        public nint Message;
    }

    /// <summary>The libheif calls used here (and by the tests, which encode HEIC inputs with libheif's x265 plugin).</summary>
    internal static unsafe partial class Native
    {
        [LibraryImport(Library, EntryPoint = "heif_get_version_number")]
        internal static partial uint GetVersionNumber();

        [LibraryImport(Library, EntryPoint = "heif_context_alloc")]
        internal static partial nint ContextAlloc();

        [LibraryImport(Library, EntryPoint = "heif_context_free")]
        internal static partial void ContextFree(nint context);

        [LibraryImport(Library, EntryPoint = "heif_context_read_from_memory_without_copy")]
        internal static partial HeifError ReadFromMemoryWithoutCopy(nint context, byte* data, nuint size, nint options);

        [LibraryImport(Library, EntryPoint = "heif_context_get_primary_image_handle")]
        internal static partial HeifError GetPrimaryImageHandle(nint context, out nint handle);

        [LibraryImport(Library, EntryPoint = "heif_image_handle_get_width")]
        internal static partial int HandleGetWidth(nint handle);

        [LibraryImport(Library, EntryPoint = "heif_image_handle_get_height")]
        internal static partial int HandleGetHeight(nint handle);

        [LibraryImport(Library, EntryPoint = "heif_image_handle_has_alpha_channel")]
        internal static partial int HandleHasAlpha(nint handle);

        [LibraryImport(Library, EntryPoint = "heif_image_handle_release")]
        internal static partial void HandleRelease(nint handle);

        [LibraryImport(Library, EntryPoint = "heif_decode_image")]
        internal static partial HeifError DecodeImage(nint handle, out nint image, int colorspace, int chroma, nint options);

        [LibraryImport(Library, EntryPoint = "heif_image_get_width")]
        internal static partial int ImageGetWidth(nint image, int channel);

        [LibraryImport(Library, EntryPoint = "heif_image_get_height")]
        internal static partial int ImageGetHeight(nint image, int channel);

        [LibraryImport(Library, EntryPoint = "heif_image_get_bits_per_pixel")]
        internal static partial int ImageGetBitsPerPixel(nint image, int channel);

        [LibraryImport(Library, EntryPoint = "heif_image_get_plane_readonly")]
        internal static partial byte* ImageGetPlaneReadonly(nint image, int channel, out int stride);

        [LibraryImport(Library, EntryPoint = "heif_image_release")]
        internal static partial void ImageRelease(nint image);

        [LibraryImport(Library, EntryPoint = "heif_image_create")]
        internal static partial HeifError ImageCreate(int width, int height, int colorspace, int chroma, out nint image);

        [LibraryImport(Library, EntryPoint = "heif_image_add_plane")]
        internal static partial HeifError ImageAddPlane(nint image, int channel, int width, int height, int bitDepth);

        [LibraryImport(Library, EntryPoint = "heif_image_get_plane")]
        internal static partial byte* ImageGetPlane(nint image, int channel, out int stride);

        [LibraryImport(Library, EntryPoint = "heif_context_get_encoder_for_format")]
        internal static partial HeifError GetEncoderForFormat(nint context, int compression, out nint encoder);

        [LibraryImport(Library, EntryPoint = "heif_encoder_set_lossy_quality")]
        internal static partial HeifError EncoderSetLossyQuality(nint encoder, int quality);

        [LibraryImport(Library, EntryPoint = "heif_encoder_release")]
        internal static partial void EncoderRelease(nint encoder);

        [LibraryImport(Library, EntryPoint = "heif_context_encode_image")]
        internal static partial HeifError EncodeImage(nint context, nint image, nint encoder, nint options, nint outHandle);

        [LibraryImport(Library, EntryPoint = "heif_context_write_to_file", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial HeifError WriteToFile(nint context, string path);
    }
}
