using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using ExamReview.Imaging;
using NetVips;

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
    /// <param name="tile">The tile from <see cref="TileAsync"/> when the caller started it early; found or rendered here otherwise.</param>
    internal byte[] ApplyDecoded(DecodedPixels srgb, string registrationNumber, WatermarkTile? tile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationNumber);
        if (srgb.Bands != 3 || srgb.Format != Enums.BandFormat.Uchar)
        {
            throw new ArgumentException($"expected 8-bit sRGB, got {srgb}", nameof(srgb));
        }

        int width = srgb.Width, height = srgb.Height;
        tile ??= TileFor(registrationNumber, width, height);
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

    /// <summary>
    /// <see cref="TileFor"/> as a task: completed at once when the tile is cached, otherwise rendering on the
    /// thread pool (about a millisecond of Pango and sampling) so the caller can decode meanwhile.
    /// </summary>
    internal Task<WatermarkTile> TileAsync(string registrationNumber, int width, int height)
    {
        var text = TextFor(registrationNumber);
        var textHeight = TextHeight(width, height);
        return _tiles.TryGet(text, textHeight, out var cached)
            ? Task.FromResult(cached)
            : Task.Run(() => _tiles.Get(text, textHeight, BuildTile));
    }

    /// <summary>The blend step of <see cref="ApplyDecoded"/> on an image with private pixels (the benchmark times it alone).</summary>
    internal void BlendInPlace(DecodedPixels srgb, WatermarkTile tile) =>
        srgb.EditPixels((Tile: tile, Width: srgb.Width, Height: srgb.Height, Colour: _colour), static (pixels, s) =>
            Blend(pixels, s.Width, s.Height, s.Tile, s.Colour));

    /// <summary>
    /// Blends the text colour into <paramref name="pixels"/> in place by the tiled mask:
    /// (a·ink + (255 − a)·pixel + 128) / 255, the 8-bit blend of libvips' ifthenelse. The mask pattern starts a
    /// third of a tile into the pattern so the first copy is not flush with the top-left corner.
    /// </summary>
    internal static void Blend(Span<byte> pixels, int width, int height, WatermarkTile tile, (byte R, byte G, byte B) ink)
    {
        int offsetX = tile.Width / 3, offsetY = tile.Height / 3;
        var rowBytes = width * 3;
        var inks = InkVectors.For(ink);
        for (var y = 0; y < height; y++)
        {
            var maskRow = tile.Alpha.AsSpan(((y + offsetY) % tile.Height) * tile.Width, tile.Width);
            var row = pixels.Slice(y * rowBytes, rowBytes);
            var x = 0;
            var m = offsetX % tile.Width;
            while (x < width)
            {
                // The mask in runs up to the tile's right edge.
                var run = Math.Min(tile.Width - m, width - x);
                BlendRun(row.Slice(x * 3, run * 3), maskRow.Slice(m, run), ink, inks);
                x += run;
                m = 0;
            }
        }
    }

    /// <summary>
    /// Blends one run: 16 pixels at a time with SIMD (chunks the mask leaves transparent are skipped), the rest
    /// one by one. Both compute the same integers: (x + 1 + (x >> 8)) >> 8 equals x / 255 for every x up to
    /// 65534, and x here is at most 255·255 + 128.
    /// </summary>
    private static void BlendRun(Span<byte> pixels, ReadOnlySpan<byte> mask, (byte R, byte G, byte B) ink, InkVectors inks)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= mask.Length; i += 16)
            {
                var alpha = Vector128.Create(mask.Slice(i, 16));
                if (alpha == Vector128<byte>.Zero)
                {
                    continue;
                }

                var block = pixels.Slice(i * 3, 48);
                BlendVector(block[..16], Vector128.Shuffle(alpha, InkVectors.Spread0), inks.Phase0);
                BlendVector(block.Slice(16, 16), Vector128.Shuffle(alpha, InkVectors.Spread1), inks.Phase1);
                BlendVector(block.Slice(32, 16), Vector128.Shuffle(alpha, InkVectors.Spread2), inks.Phase2);
            }
        }

        for (var next = mask[i..].IndexOfAnyExcept((byte)0); next >= 0; next = mask[i..].IndexOfAnyExcept((byte)0))
        {
            i += next;
            int a = mask[i], p = i * 3, keep = 255 - a;
            pixels[p] = (byte)(((a * ink.R) + (keep * pixels[p]) + 128) / 255);
            pixels[p + 1] = (byte)(((a * ink.G) + (keep * pixels[p + 1]) + 128) / 255);
            pixels[p + 2] = (byte)(((a * ink.B) + (keep * pixels[p + 2]) + 128) / 255);
            i++;
        }
    }

    /// <summary>(a·ink + (255 − a)·pixel + 128) / 255 for 16 interleaved samples, in 16-bit lanes.</summary>
    private static void BlendVector(Span<byte> samples, Vector128<byte> alpha, Vector128<byte> ink)
    {
        var pixel = Vector128.Create(samples);
        var keep = Vector128.Create((byte)255) - alpha;
        var (alphaLow, alphaHigh) = Vector128.Widen(alpha);
        var (keepLow, keepHigh) = Vector128.Widen(keep);
        var (inkLow, inkHigh) = Vector128.Widen(ink);
        var (pixelLow, pixelHigh) = Vector128.Widen(pixel);
        var rounding = Vector128.Create((ushort)128);
        var low = (alphaLow * inkLow) + (keepLow * pixelLow) + rounding;
        var high = (alphaHigh * inkHigh) + (keepHigh * pixelHigh) + rounding;
        low = Vector128.ShiftRightLogical(low + Vector128<ushort>.One + Vector128.ShiftRightLogical(low, 8), 8);
        high = Vector128.ShiftRightLogical(high + Vector128<ushort>.One + Vector128.ShiftRightLogical(high, 8), 8);
        Vector128.Narrow(low, high).CopyTo(samples);
    }

    /// <summary>
    /// The ink colour as 16-byte runs of interleaved R, G, B starting at each of the three phases a 48-byte block
    /// of 16 pixels passes through, and the shuffles that spread 16 alpha bytes over those three blocks.
    /// </summary>
    private sealed record InkVectors(Vector128<byte> Phase0, Vector128<byte> Phase1, Vector128<byte> Phase2)
    {
        public static readonly Vector128<byte> Spread0 = Vector128.Create((byte)0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5);
        public static readonly Vector128<byte> Spread1 = Vector128.Create((byte)5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10);
        public static readonly Vector128<byte> Spread2 = Vector128.Create((byte)10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15);

        public static InkVectors For((byte R, byte G, byte B) ink)
        {
            ReadOnlySpan<byte> rgb = [ink.R, ink.G, ink.B];
            Span<byte> pattern = stackalloc byte[50];
            for (var i = 0; i < pattern.Length; i++)
            {
                pattern[i] = rgb[i % 3];
            }

            return new InkVectors(Vector128.Create(pattern[..16]), Vector128.Create(pattern.Slice(16, 16)), Vector128.Create(pattern.Slice(32, 16)));
        }
    }

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

    /// <summary>
    /// The diagonal tile, drawn directly: each tile pixel under the rotated text samples the coverage
    /// bilinearly (as libvips' rotate would) and is faded to <paramref name="opacity"/>. Only the band of each
    /// row the text crosses is sampled — about a tenth of the tile — which is several times cheaper than the
    /// libvips graph (rotate, embed, wrap-around embed, ifthenelse) for the same picture.
    /// </summary>
    internal static WatermarkTile DiagonalTile(byte[] coverage, int width, int height, double angleDegrees, double opacity, int gap)
    {
        var theta = angleDegrees * Math.PI / 180; // anticlockwise on screen (y down)
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double absCos = Math.Abs(cos), absSin = Math.Abs(sin);
        int rotatedWidth = (int)Math.Ceiling((width * absCos) + (height * absSin)), rotatedHeight = (int)Math.Ceiling((width * absSin) + (height * absCos));
        var pitch = width + gap;
        var tileWidth = Math.Max(rotatedWidth, (int)Math.Round(pitch * absCos));
        var tileHeight = Math.Max(rotatedHeight, (int)Math.Round(pitch * absSin));
        var alpha = new byte[tileWidth * tileHeight];
        var single = new byte[tileWidth];
        double centreX = tileWidth / 2.0, centreY = tileHeight / 2.0;
        var half = tileWidth / 2;
        for (var y = 0; y < tileHeight; y++)
        {
            // Text coordinates (u along the text, v across it) of this row's first pixel centre; each step
            // right adds (cos, −sin).
            double py = y + 0.5 - centreY, px = 0.5 - centreX;
            var u0 = (px * cos) + (py * sin) + (width / 2.0) - 0.5;
            var v0 = (py * cos) - (px * sin) + (height / 2.0) - 0.5;
            var (from, to) = Within(u0, cos, width, 0, tileWidth);
            (from, to) = Within(v0, -sin, height, from, to);
            if (from >= to)
            {
                continue;
            }

            Array.Clear(single);
            for (var x = from; x < to; x++)
            {
                double u = u0 + (x * cos), v = v0 - (x * sin);
                int x0 = (int)Math.Floor(u), y0 = (int)Math.Floor(v);
                double fx = u - x0, fy = v - y0;
                var top = (At(x0, y0) * (1 - fx)) + (At(x0 + 1, y0) * fx);
                var bottom = (At(x0, y0 + 1) * (1 - fx)) + (At(x0 + 1, y0 + 1) * fx);
                single[x] = (byte)Math.Round(((top * (1 - fy)) + (bottom * fy)) * opacity);
            }

            // The second copy, half a tile along (wrapping round), shows where the first is empty.
            var row = alpha.AsSpan(y * tileWidth, tileWidth);
            for (var x = from; x < to; x++)
            {
                row[(x + half) % tileWidth] = single[x];
            }

            for (var x = from; x < to; x++)
            {
                if (single[x] != 0)
                {
                    row[x] = single[x];
                }
            }
        }

        return new WatermarkTile(alpha, tileWidth, tileHeight);

        double At(int x, int y) => (uint)x >= (uint)width || (uint)y >= (uint)height ? 0 : coverage[(y * width) + x];
    }

    /// <summary>Narrows [from, to) to the x where f0 + x·df lies strictly between −1 and <paramref name="limit"/> (where a bilinear sample can be non-zero).</summary>
    private static (int From, int To) Within(double f0, double df, int limit, int from, int to)
    {
        if (df == 0)
        {
            return f0 > -1 && f0 < limit ? (from, to) : (0, 0);
        }

        double a = (-1 - f0) / df, b = (limit - f0) / df;
        if (a > b)
        {
            (a, b) = (b, a);
        }

        return (Math.Max(from, (int)Math.Floor(a)), Math.Min(to, (int)Math.Ceiling(b) + 1));
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

/// <summary>Rendered text as coverage: Width × Height bytes, row-major.</summary>
internal sealed record TextCoverage(byte[] Pixels, int Width, int Height);

/// <summary>One repeat of the watermark's alpha pattern: Width × Height bytes, row-major.</summary>
internal sealed record WatermarkTile(byte[] Alpha, int Width, int Height);

/// <summary>
/// Rendered watermark tiles by (text, text height). A candidate's documents share a registration number and
/// often a size, so later ones skip the Pango render and rotation. Bounded by bytes: when full it starts
/// over (cheap, and never pins more than <see cref="MaxBytes"/>).
/// </summary>
internal sealed class WatermarkTileCache
{
    internal const long MaxBytes = 16L * 1024 * 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Text, int Height), WatermarkTile> _tiles = new();
    private long _bytes;

    public bool TryGet(string text, int textHeight, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out WatermarkTile tile) =>
        _tiles.TryGetValue((text, textHeight), out tile);

    public WatermarkTile Get(string text, int textHeight, Func<string, int, WatermarkTile> build)
    {
        if (_tiles.TryGetValue((text, textHeight), out var cached))
        {
            return cached;
        }

        var tile = build(text, textHeight);
        if (Interlocked.Add(ref _bytes, tile.Alpha.Length) > MaxBytes)
        {
            _tiles.Clear();
            Interlocked.Exchange(ref _bytes, tile.Alpha.Length);
        }

        _tiles[(text, textHeight)] = tile;
        return tile;
    }
}
