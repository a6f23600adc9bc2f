using NetVips;

namespace ExamReview.Imaging;

/// <summary>What the header of an admitted image declares, read before any pixel is decoded.</summary>
/// <param name="Format">Container format, by content.</param>
/// <param name="Width">Stored width (before EXIF rotation).</param>
/// <param name="Height">Stored height.</param>
/// <param name="Orientation">EXIF orientation 1-8 (1 when absent).</param>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height, int Orientation)
{
    public long PixelCount => (long)Width * Height;

    /// <summary>Width once the EXIF orientation is applied (orientations 5-8 swap the sides).</summary>
    public int UprightWidth => Orientation is >= 5 and <= 8 ? Height : Width;

    /// <summary>Height once the EXIF orientation is applied.</summary>
    public int UprightHeight => Orientation is >= 5 and <= 8 ? Width : Height;
}

/// <summary>
/// Admits untrusted bytes into NetVips: the container is checked first (<see cref="ImageFormatDetector"/>:
/// JPEG, PNG, WebP, HEIF only, never by file name; no truncation, no polyglot), then the loader reads the header
/// only and images over <see cref="ImageLoadOptions.MaxPixels"/> are refused before any pixel is decoded
/// (decompression bombs). Every refusal is a typed <see cref="ImagingException"/>.
/// </summary>
public static class UntrustedImage
{
    /// <summary>Checks the container and reads the header; no pixel is decoded.</summary>
    /// <exception cref="ImageFormatException">Unknown, disallowed, truncated, or polyglot container.</exception>
    /// <exception cref="PixelBudgetExceededException">Declared dimensions over the budget.</exception>
    /// <exception cref="CorruptImageException">The loader rejected the header.</exception>
    public static ImageHeader ReadHeader(ReadOnlySpan<byte> data, ImageLoadOptions? options = null)
    {
        using var image = Load(data, options, out var header);
        return header;
    }

    /// <summary>
    /// Opens the bytes lazily (pixels decode when read, e.g. by <see cref="DecodedPixels.From"/>, which is where
    /// damaged pixel data surfaces as <see cref="CorruptImageException"/>). HEIC goes through the system
    /// libheif (<see cref="HeifDecoder"/>) and comes back decoded and upright.
    /// </summary>
    /// <exception cref="ImageFormatException">Unknown, disallowed, truncated, or polyglot container.</exception>
    /// <exception cref="PixelBudgetExceededException">Declared dimensions over the budget.</exception>
    /// <exception cref="CorruptImageException">The loader rejected the header.</exception>
    public static Image Load(ReadOnlySpan<byte> data, ImageLoadOptions? options, out ImageHeader header)
    {
        options ??= ImageLoadOptions.Default;
        var format = Admit(data, options);
        VipsRuntime.EnsureInitialised();
        if (format == ImageFormat.Heif && HeifDecoder.IsAvailable)
        {
            return HeifDecoder.Decode(data, options.MaxPixels, out header);
        }

        Image image;
        try
        {
            image = Image.NewFromBuffer(data, access: options.Access, failOn: options.FailOn);
        }
        catch (VipsException e)
        {
            throw new CorruptImageException(LoaderName(format), e.Message.Trim(), e);
        }

        try
        {
            header = new ImageHeader(format, image.Width, image.Height, OrientationOf(image));
            EnforceBudget(header.Width, header.Height, options.MaxPixels);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the bytes shrunk to fit inside <paramref name="maxWidth"/> × <paramref name="maxHeight"/> (never
    /// enlarged) and upright per EXIF. JPEG shrinks by 2, 4 or 8 inside the decoder and WebP scales while
    /// decoding; PNG streams through the shrink a few rows at a time; so a small file that declares tens of
    /// megapixels never occupies them in memory. The admission checks of <see cref="Load"/> run first, on the
    /// header only. Unlike libvips' thumbnail, the decoder keeps <see cref="ImageLoadOptions.FailOn"/> (thumbnail
    /// decodes a damaged JPEG to grey at any level), so damaged pixel data surfaces when the result is read.
    /// </summary>
    /// <exception cref="ImagingException">As <see cref="Load"/>.</exception>
    public static Image Thumbnail(ReadOnlySpan<byte> data, int maxWidth, int maxHeight, ImageLoadOptions? options, out ImageHeader header)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, 1);
        options ??= ImageLoadOptions.Default;
        var sequential = options with { Access = Enums.Access.Sequential };
        var loaded = Load(data, sequential, out header);
        var rotated = header.Orientation is >= 5 and <= 8;
        var (boxWidth, boxHeight) = rotated ? (maxHeight, maxWidth) : (maxWidth, maxHeight); // the box in stored orientation
        var factor = Math.Max((double)header.Width / boxWidth, (double)header.Height / boxHeight);
        if (factor > 1 && header.Format is ImageFormat.Jpeg or ImageFormat.WebP)
        {
            loaded.Dispose();
            loaded = LoadShrunk(data, header.Format, factor, sequential);
        }

        try
        {
            var scale = Math.Min(1.0, Math.Min((double)boxWidth / loaded.Width, (double)boxHeight / loaded.Height));
            using var sized = scale < 1 ? loaded.Resize(scale) : loaded.Copy();
            if (header.Orientation == 1)
            {
                return sized.Copy();
            }

            // Rotating reads the pixels out of order, which a sequential decode cannot serve: rotate the (small)
            // shrunk copy in memory.
            using var inMemory = sized.CopyMemory();
            return inMemory.Autorot();
        }
        catch (VipsException e)
        {
            throw new CorruptImageException("thumbnail", e.Message.Trim(), e);
        }
        finally
        {
            loaded.Dispose();
        }
    }

    /// <summary>Opens a JPEG or WebP decoding at a reduced scale: at least the box, at most <paramref name="factor"/> smaller.</summary>
    private static Image LoadShrunk(ReadOnlySpan<byte> data, ImageFormat format, double factor, ImageLoadOptions options)
    {
        var shrink = new VOption();
        if (format == ImageFormat.Jpeg)
        {
            shrink.Add("shrink", factor >= 8 ? 8 : factor >= 4 ? 4 : factor >= 2 ? 2 : 1);
        }
        else
        {
            shrink.Add("scale", 1 / factor);
        }

        try
        {
            return Image.NewFromBuffer(data, access: options.Access, failOn: options.FailOn, kwargs: shrink);
        }
        catch (VipsException e)
        {
            throw new CorruptImageException(LoaderName(format), e.Message.Trim(), e);
        }
    }

    private static ImageFormat Admit(ReadOnlySpan<byte> data, ImageLoadOptions options)
    {
        var inspection = ImageFormatDetector.Inspect(data, options.AllowTrailingData);
        if (!inspection.IsAcceptable)
        {
            throw new ImageFormatException(inspection.Format, inspection.Problem, inspection.Detail);
        }

        if (options.AllowedFormats is { } allowed && !allowed.Contains(inspection.Format))
        {
            throw new ImageFormatException(inspection.Format, ImageFormatProblem.FormatNotAllowed, $"{inspection.Format} is not accepted here");
        }

        return inspection.Format;
    }

    internal static void EnforceBudget(int width, int height, long maxPixels)
    {
        if ((long)width * height > maxPixels)
        {
            throw new PixelBudgetExceededException(width, height, maxPixels);
        }
    }

    private static int OrientationOf(Image image) =>
        image.Contains("orientation") && image.Get("orientation") is int o && o is >= 1 and <= 8 ? o : 1;

    private static string LoaderName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegload_buffer",
        ImageFormat.Png => "pngload_buffer",
        ImageFormat.WebP => "webpload_buffer",
        _ => "heifload_buffer",
    };
}
