using ExamReview.Imaging;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>Outcome of <see cref="DocumentInspector.Inspect"/>.</summary>
/// <param name="Findings">Problems found; empty means the upload may be stored as it is.</param>
/// <param name="Format">Format detected from the bytes.</param>
/// <param name="Width">Stored width (before EXIF rotation), 0 if unreadable.</param>
/// <param name="Height">Stored height, 0 if unreadable.</param>
/// <param name="Orientation">EXIF orientation tag (1 when absent).</param>
/// <param name="Deviation">Grey-level standard deviation at analysis size.</param>
/// <param name="ContentFraction">Share of analysis tiles holding content (0 = blank).</param>
/// <param name="Sharpness">Median Laplacian variance of the content tiles at analysis size.</param>
public sealed record DocumentInspection(
    IReadOnlyList<Finding> Findings,
    ImageFormat Format,
    int Width,
    int Height,
    int Orientation,
    double Deviation,
    double ContentFraction,
    double Sharpness)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// Checks an uploaded document image (报名材料图片) against the upload rules: jpg/jpeg/png by content,
/// size limit, readable, not blank, enough resolution to be legible, sharp, upright. Read-only: it never
/// changes the bytes (use <see cref="Normaliser"/> to make a compliant copy).
/// </summary>
public sealed class DocumentInspector
{
    private static readonly ImageFormat[] JpegOrPng = [ImageFormat.Jpeg, ImageFormat.Png];
    private readonly DocumentOptions _options;
    private readonly DecodeGate _gate;

    /// <param name="options">The rules.</param>
    /// <param name="gate">Bounds how many images decode at once; <see cref="DecodeGate.Shared"/> when null.</param>
    public DocumentInspector(DocumentOptions options, DecodeGate? gate = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _gate = gate ?? DecodeGate.Shared;
    }

    internal DocumentOptions Options => _options;

    /// <summary>Inspects one upload. Never throws for bad input: problems are findings.</summary>
    public DocumentInspection Inspect(ReadOnlySpan<byte> upload)
    {
        using var slot = _gate.Enter();
        var inspection = Inspect(upload, out var decoded);
        decoded?.Dispose();
        return inspection;
    }

    /// <summary>
    /// Inspects one upload and hands back what was decoded for it — the stored pixels as 8-bit 3-band sRGB in
    /// memory, EXIF orientation kept — so the caller can reuse them instead of decoding the upload again; null
    /// when the upload could not be read (the findings say why). The caller disposes it. Uploads over
    /// <see cref="DocumentOptions.MaxDecodedPixels"/> come back shrunk and already upright. The caller holds a
    /// <see cref="DecodeGate"/> slot.
    /// </summary>
    /// <paramref name="maxFileBytes"/>: the size limit the file was accepted under (its exam area's, which may be above
    /// the national 200 KB); null: <see cref="DocumentOptions.MaxFileBytes"/>.
    internal DocumentInspection Inspect(ReadOnlySpan<byte> upload, out DecodedPixels? decodedSrgb, long? maxFileBytes = null)
    {
        decodedSrgb = null;
        var o = _options;
        var findings = new List<Finding>();
        var limit = maxFileBytes ?? o.MaxFileBytes;
        if (upload.Length > limit)
        {
            findings.Add(new Finding(
                FindingCodes.DocTooLarge,
                $"单个图片文件大小不能超过{limit / 1024}KB。",
                $"Each image file must be at most {limit / 1024} KB.",
                $"≤ {Fmt.Bytes(limit)}",
                Fmt.Bytes(upload.Length)));
        }

        var format = ImageFormatDetector.Detect(upload);
        var load = new ImageLoadOptions { MaxPixels = o.MaxPixels, FailOn = o.FailOn, AllowedFormats = JpegOrPng };
        var decoded = Intake.LoadSrgb(upload, load, IntakeCodes.Document, findings, out var header, o.MaxDecodedPixels);
        if (decoded is null)
        {
            return new DocumentInspection(findings, format, 0, 0, header.Orientation, 0, 0, 0);
        }

        try
        {
            var inspection = Analyse(decoded, header, findings);
            decodedSrgb = decoded;
            decoded = null;
            return inspection;
        }
        catch (VipsException e)
        {
            findings.Add(Intake.Unreadable(IntakeCodes.Document, e.Message));
            return new DocumentInspection(findings, format, header.Width, header.Height, header.Orientation, 0, 0, 0);
        }
        finally
        {
            decoded?.Dispose();
        }
    }

    /// <summary>Rules on the stored size (from the header), measures on the decoded pixels.</summary>
    private DocumentInspection Analyse(DecodedPixels srgb, ImageHeader header, List<Finding> findings)
    {
        var o = _options;
        int width = header.Width, height = header.Height;
        var (format, orientation) = (header.Format, header.Orientation);

        if (o.RequireUpright && orientation is >= 2 and <= 8)
        {
            findings.Add(new Finding(
                FindingCodes.DocOrientation,
                "图片带有旋转/翻转标记，画面须保持正向，不得翻转旋转（可使用自动校正后重新上传）。",
                "The image is stored rotated or mirrored (EXIF orientation); it must be upright. Use the automatic correction and upload again.",
                "EXIF orientation 1",
                orientation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (Math.Min(width, height) < o.MinShortSide)
        {
            findings.Add(new Finding(
                FindingCodes.DocLowResolution,
                $"图片分辨率过低，短边至少需要{o.MinShortSide}像素才能看清内容。",
                $"The resolution is too low to read: the shorter side needs at least {o.MinShortSide} px.",
                $"shorter side ≥ {o.MinShortSide} px",
                Fmt.Size(width, height)));
        }

        // Rotation does not change blankness or sharpness, so measure the stored pixels, at analysis size
        // (at most AnalysisMaxLongSide): straight from the decoded pixels when they are within it.
        var (sharpness, content, deviation) = Math.Max(srgb.Width, srgb.Height) > o.AnalysisMaxLongSide
            ? MeasureReduced(srgb, o)
            : MeasureInPlace(srgb, o);
        if (content < o.BlankMaxContentFraction)
        {
            findings.Add(new Finding(
                FindingCodes.DocBlank,
                "图片内容为空白或几乎空白，请上传完整的材料图片。",
                "The image is blank or nearly blank; please upload the complete document.",
                $"content tiles ≥ {Fmt.Num(o.BlankMaxContentFraction * 100)}%",
                $"{Fmt.Num(content * 100)}%"));
        }
        else if (sharpness < o.MinSharpness)
        {
            findings.Add(new Finding(
                FindingCodes.DocBlurred,
                "图片模糊不清，请对焦后重新拍摄。",
                "The image is blurred; please refocus and take it again.",
                $"Laplacian variance ≥ {Fmt.Num(o.MinSharpness)}",
                Fmt.Num(sharpness)));
        }

        return new DocumentInspection(findings, format, width, height, orientation, deviation, content, sharpness);
    }

    internal static (double Sharpness, double ContentFraction, double Deviation) MeasureInPlace(DecodedPixels pixels, DocumentOptions o) =>
        Measure.ContentSharpness(pixels.Pixels, pixels.Width, pixels.Height, pixels.Bands, pixels.Format, o.SharpnessTileSize, o.ContentMinDeviation);

    /// <summary>
    /// Measures a grey copy reduced to the analysis size and cast to 8 bits: a quarter of the memory of float
    /// grey, and the quantisation noise (under one grey level per pixel) is far below any threshold.
    /// </summary>
    private static (double Sharpness, double ContentFraction, double Deviation) MeasureReduced(DecodedPixels srgb, DocumentOptions o)
    {
        using var image = srgb.ToImage();
        using var grey = Measure.Grey(image);
        using var reduced = grey.Resize((double)o.AnalysisMaxLongSide / Math.Max(srgb.Width, srgb.Height));
        using var rounded = reduced.Cast(Enums.BandFormat.Uchar);
        using var inMemory = DecodedPixels.From(rounded);
        return MeasureInPlace(inMemory, o);
    }
}
