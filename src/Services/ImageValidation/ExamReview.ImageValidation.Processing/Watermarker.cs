using System.Globalization;
using System.Text;
using ExamReview.Imaging;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>
/// Makes the reviewer copy of a stored image: upright, stripped of EXIF/GPS and all other metadata, with a
/// semi-transparent CJK text tiled diagonally over the whole picture (so no crop removes it), saved as JPEG.
/// Every image byte a reviewer sees goes through here.
/// </summary>
public sealed partial class Watermarker
{
    private readonly WatermarkOptions _options;
    private readonly (byte R, byte G, byte B) _colour;
    private readonly long _maxPixels;
    private readonly long _maxDecodedPixels;
    private readonly DecodeGate _gate;
    private readonly WatermarkTileCache _tiles = new();

    /// <param name="options">Text, font, opacity, angle, quality.</param>
    /// <param name="maxPixels">Largest width × height an input may declare.</param>
    /// <param name="gate">Bounds how many images decode at once; <see cref="DecodeGate.Shared"/> when null.</param>
    /// <param name="maxDecodedPixels">Larger inputs are decoded shrunk to this many pixels (see <see cref="DocumentOptions.MaxDecodedPixels"/>).</param>
    public Watermarker(WatermarkOptions options, long maxPixels = 40_000_000, DecodeGate? gate = null, long maxDecodedPixels = 4_000_000)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Opacity is <= 0 or > 1 || options.TextHeightFraction <= 0 || string.IsNullOrWhiteSpace(options.TextTemplate))
        {
            throw new ArgumentException("invalid WatermarkOptions", nameof(options));
        }

        _colour = ParseColour(options.Colour);
        _maxPixels = maxPixels;
        _maxDecodedPixels = maxDecodedPixels;
        _gate = gate ?? DecodeGate.Shared;
    }

    /// <summary>The watermark text for a registration number.</summary>
    public string TextFor(string registrationNumber) =>
        string.Format(CultureInfo.InvariantCulture, _options.TextTemplate, registrationNumber);

    /// <summary>
    /// Returns the watermarked JPEG. The input is an image that already passed validation; bytes that are
    /// not a readable JPEG/PNG/WebP/HEIF throw an <see cref="ImagingException"/> (or NetVips'
    /// <see cref="VipsException"/> when a later libvips step fails).
    /// </summary>
    public byte[] Apply(ReadOnlySpan<byte> image, string registrationNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationNumber);
        using var slot = _gate.Enter();
        var load = new ImageLoadOptions { MaxPixels = _maxPixels };
        using var decoded = LoadForApply(image, load);
        using var upright = UprightCopy(decoded);
        return ApplyDecoded(upright ?? decoded, registrationNumber);
    }

    /// <summary>Decoded 8-bit sRGB pixels, shrunk on load when the image declares more than the decode budget.</summary>
    private DecodedPixels LoadForApply(ReadOnlySpan<byte> image, ImageLoadOptions load)
    {
        using var loaded = UntrustedImage.Load(image, load with { Access = Enums.Access.Sequential }, out var header);
        if (header.PixelCount <= _maxDecodedPixels)
        {
            using var srgb = Intake.ToSrgbOrNull(loaded);
            return DecodedPixels.From(srgb ?? loaded);
        }

        var scale = Math.Sqrt((double)_maxDecodedPixels / header.PixelCount);
        using var shrunk = UntrustedImage.Thumbnail(image, (int)(header.UprightWidth * scale), (int)(header.UprightHeight * scale), load, out _);
        using var shrunkSrgb = Intake.ToSrgbOrNull(shrunk);
        return DecodedPixels.From(shrunkSrgb ?? shrunk);
    }

    /// <summary>An upright copy in memory when the EXIF orientation asks for one; null when the pixels are upright as stored.</summary>
    internal static DecodedPixels? UprightCopy(DecodedPixels decoded)
    {
        if (decoded.Orientation is >= 2 and <= 8)
        {
            using var stored = decoded.ToImage();
            using var rotated = stored.Autorot();
            return DecodedPixels.From(rotated);
        }

        return null;
    }

    /// <summary>
    /// Watermarks an upright 8-bit 3-band sRGB image that is already decoded in memory (the document pipeline
    /// hands over the pixels its checks read, so nothing is decoded twice) and encodes the reviewer copy.
    /// When no image borrows the pixels (<see cref="DecodedPixels.HasPrivatePixels"/>, as both callers pass) the
    /// text is blended into them in place and <paramref name="srgb"/> is left watermarked; otherwise the blend
    /// works on a copy and the pixels are left as they were.
    /// </summary>
    /// <remarks>
    /// The blend runs over the pixels in one managed pass instead of a libvips graph (text-colour field +
    /// replicated mask + ifthenelse): only pixels under the text are touched, and in place nothing else is
    /// written at all, which is what makes the reviewer copy cost little more than the JPEG encode itself.
    /// </remarks>
    internal byte[] ApplyDecoded(DecodedPixels srgb, string registrationNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationNumber);
        if (srgb.Bands != 3 || srgb.Format != Enums.BandFormat.Uchar)
        {
            throw new ArgumentException($"expected 8-bit sRGB, got {srgb}", nameof(srgb));
        }

        int width = srgb.Width, height = srgb.Height;
        var tile = TileFor(registrationNumber, width, height);
        if (srgb.HasPrivatePixels)
        {
            BlendInPlace(srgb, tile);
            using var marked = srgb.ToImage();
            return Save(marked);
        }

        var copy = srgb.Pixels.ToArray();
        Blend(copy, width, height, tile, _colour);
        using var blended = Image.NewFromMemory(copy, width, height, 3, Enums.BandFormat.Uchar);
        return Save(blended);
    }

    private byte[] Save(Image image) => JpegFit.Save(image, _options.Quality, _options.OptimizeCoding);

    /// <summary>The watermark tile for a registration number on an image of this size, from the cache or rendered now.</summary>
    internal WatermarkTile TileFor(string registrationNumber, int width, int height) =>
        _tiles.Get(TextFor(registrationNumber), TextHeight(width, height), BuildTile);

    /// <summary>The blend step of <see cref="ApplyDecoded"/> on an image with private pixels (the benchmark times it alone).</summary>
    internal void BlendInPlace(DecodedPixels srgb, WatermarkTile tile) =>
        srgb.EditPixels((Tile: tile, Width: srgb.Width, Height: srgb.Height, Colour: _colour), static (pixels, s) =>
            Blend(pixels, s.Width, s.Height, s.Tile, s.Colour));

    internal int TextHeight(int width, int height) =>
        Math.Max(_options.MinTextHeight, (int)Math.Round(Math.Min(width, height) * _options.TextHeightFraction));

    /// <summary>
    /// One repeat of the alpha pattern (0-255). The text is rendered once as coverage (Pango, via libvips);
    /// faded to the configured opacity and rotated, it is centred in a tile of D·cosθ × D·sinθ (D = text length
    /// + gap), so repeating the tile on a rectangular grid lines the copies up along diagonals at exactly θ; a
    /// second copy at half a tile fills the space between the diagonals. Angles under 15° (or over 75°) use
    /// horizontal rows in a brick pattern instead.
    /// </summary>
    private WatermarkTile BuildTile(string text, int textHeight)
    {
        var o = _options;
        var coverage = RenderText(text, textHeight);
        var gap = textHeight * 3;

        var angle = Math.Abs(o.AngleDegrees) * Math.PI / 180;
        if (angle is >= 15 * Math.PI / 180 and <= 75 * Math.PI / 180)
        {
            return DiagonalTile(coverage.Pixels, coverage.Width, coverage.Height, o.AngleDegrees, o.Opacity, gap);
        }

        // Rows: every other row shifted by half a repeat.
        using var rendered = Image.NewFromMemoryCopy(coverage.Pixels, coverage.Width, coverage.Height, 1, Enums.BandFormat.Uchar);
        using var faded = rendered.Linear([o.Opacity], [0.0], uchar: true);
        var repeatWidth = faded.Width + gap;
        var lineHeight = faded.Height + (textHeight * 5 / 2);
        using var repeat = faded.Embed(0, 0, repeatWidth, lineHeight, extend: Enums.Extend.Black);
        using var shifted = repeat.Embed(repeatWidth / 2, 0, repeatWidth, lineHeight, extend: Enums.Extend.Repeat);
        using var tile = repeat.Join(shifted, Enums.Direction.Vertical);
        return new WatermarkTile(tile.WriteToMemory<byte>(), tile.Width, tile.Height);
    }

    /// <summary>
    /// The text's coverage (0-255, one byte per pixel), rendered by Pango through libvips. The text is escaped:
    /// libvips reads Pango markup, and a registration number is user data.
    /// </summary>
    internal TextCoverage RenderText(string text, int textHeight)
    {
        using var rendered = Image.Text(EscapeMarkup(text), font: $"{_options.FontFamily} {textHeight.ToString(CultureInfo.InvariantCulture)}px", dpi: 72);
        return new TextCoverage(rendered.WriteToMemory<byte>(), rendered.Width, rendered.Height);
    }

    private static string EscapeMarkup(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&apos;"),
                _ when char.IsControl(c) => sb,
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
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
