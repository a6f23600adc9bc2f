using System.Globalization;
using ExamReview.Imaging;

namespace ExamReview.ImageValidation.Processing;

/// <summary>
/// Makes the reviewer copy of a stored image: upright, stripped of EXIF/GPS and all other metadata, with a
/// semi-transparent CJK text tiled diagonally over the whole picture (so no crop removes it), saved as JPEG.
/// Every image byte a reviewer sees goes through here.
/// </summary>
public sealed class Watermarker
{
    private readonly WatermarkOptions _options;
    private readonly (byte R, byte G, byte B) _colour;
    private readonly long _maxPixels;

    public Watermarker(WatermarkOptions options, long maxPixels = 40_000_000)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Opacity is <= 0 or > 1 || options.TextHeightFraction <= 0 || string.IsNullOrWhiteSpace(options.TextTemplate))
        {
            throw new ArgumentException("invalid WatermarkOptions", nameof(options));
        }

        _colour = ParseColour(options.Colour);
        _maxPixels = maxPixels;
    }

    /// <summary>The watermark text for a registration number.</summary>
    public string TextFor(string registrationNumber) =>
        string.Format(CultureInfo.InvariantCulture, _options.TextTemplate, registrationNumber);

    /// <summary>
    /// Returns the watermarked JPEG. The input is an image that already passed validation; bytes that are
    /// not a readable JPEG/PNG/WebP/HEIF throw an <see cref="ImagingException"/>.
    /// </summary>
    public byte[] Apply(ReadOnlySpan<byte> image, string registrationNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationNumber);
        using var loaded = VipsImage.LoadFromBuffer(image, new ImageLoadOptions { MaxPixels = _maxPixels, Access = Access.Sequential });
        using var decoded = loaded.Decode();
        using var upright = decoded.Autorot();
        using var srgb = Intake.ToSrgb(upright);
        using var alpha = BuildAlpha(TextFor(registrationNumber), srgb.Width, srgb.Height);

        // Blend the text colour in by the mask with ifthenelse(blend): 8-bit arithmetic, one pass, where a
        // float composite2 + flatten would cost several times more per pixel for the same result.
        using var ink = SolidColour(srgb.Width, srgb.Height);
        using var marked = alpha.IfThenElse(ink, srgb, blend: true);
        return marked.ToJpeg(new JpegSaveOptions { Quality = _options.Quality, Strip = true, OptimizeCoding = true });
    }

    /// <summary>
    /// A width × height one-band alpha mask (0-255). The text is rendered once as coverage, faded to the
    /// configured opacity and rotated — only this small image is resampled. It is centred in a tile of
    /// D·cosθ × D·sinθ (D = text length + gap), so repeating the tile on a rectangular grid (replicate, which
    /// is lazy and costs no per-pixel work) lines the copies up along diagonals at exactly θ; a second copy
    /// at half a tile fills the space between the diagonals. Angles under
    /// 15° use horizontal rows in a brick pattern instead.
    /// </summary>
    private VipsImage BuildAlpha(string text, int width, int height)
    {
        var o = _options;
        var textHeight = Math.Max(o.MinTextHeight, (int)Math.Round(Math.Min(width, height) * o.TextHeightFraction));
        using var rendered = VipsImage.Text(text, new TextOptions
        {
            Font = $"{o.FontFamily} {textHeight.ToString(CultureInfo.InvariantCulture)}px",
            Dpi = 72,
        });
        using var faded = rendered.Linear(o.Opacity, 0, toUChar: true);
        var gap = textHeight * 3;

        VipsImage tile;
        var angle = Math.Abs(o.AngleDegrees) * Math.PI / 180;
        if (angle < 15 * Math.PI / 180 || angle > 75 * Math.PI / 180)
        {
            // Rows: every other row shifted by half a repeat.
            var repeatWidth = faded.Width + gap;
            var lineHeight = faded.Height + (textHeight * 5 / 2);
            using var repeat = faded.Embed(0, 0, repeatWidth, lineHeight, Extend.Black);
            using var shifted = repeat.Embed(repeatWidth / 2, 0, repeatWidth, lineHeight, Extend.Repeat);
            tile = repeat.Join(shifted, vertical: true);
        }
        else
        {
            using var rotated = faded.Rotate(o.AngleDegrees);
            var pitch = faded.Width + gap;
            var tileWidth = Math.Max(rotated.Width, (int)Math.Round(pitch * Math.Cos(angle)));
            var tileHeight = Math.Max(rotated.Height, (int)Math.Round(pitch * Math.Sin(angle)));
            using var single = rotated.Embed((tileWidth - rotated.Width) / 2, (tileHeight - rotated.Height) / 2, tileWidth, tileHeight, Extend.Black);

            // A second copy offset by half the tile width (wrapping round) puts a line of text halfway between
            // the diagonals, halving their spacing; the copies never overlap, so "take either" merges them.
            using var offset = single.Embed(tileWidth / 2, 0, tileWidth, tileHeight, Extend.Repeat);
            tile = single.IfThenElse(single, offset);
        }

        // Materialise the tile: replicate would otherwise re-run the rotation for every copy.
        using (tile)
        using (var tileInMemory = tile.Decode())
        {
            using var field = tileInMemory.Replicate((width / tile.Width) + 2, (height / tile.Height) + 2);

            // Start part-way into the pattern so the first copy is not flush with the top-left corner.
            return field.ExtractArea(tile.Width / 3, tile.Height / 3, width, height);
        }
    }

    /// <summary>The text colour over width × height: one small in-memory tile, replicated (no per-pixel maths).</summary>
    private VipsImage SolidColour(int width, int height)
    {
        const int Tile = 64;
        var pixels = new byte[Tile * Tile * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            (pixels[i], pixels[i + 1], pixels[i + 2]) = _colour;
        }

        using var tile = VipsImage.FromPixels(pixels, Tile, Tile, 3);
        using var field = tile.Replicate((width / Tile) + 1, (height / Tile) + 1);
        return field.ExtractArea(0, 0, width, height);
    }

    private static (byte R, byte G, byte B) ParseColour(string colour)
    {
        var hex = colour.TrimStart('#');
        if (hex.Length != 6 || !int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            throw new ArgumentException($"watermark colour must be #RRGGBB, got '{colour}'", nameof(colour));
        }

        return ((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
    }
}
