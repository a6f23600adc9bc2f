using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>
/// Root of the "ImageValidation" configuration section. Every threshold is configuration; the defaults
/// below are the documented baseline (see each property).
/// </summary>
public sealed record ImageValidationOptions
{
    public const string SectionName = "ImageValidation";

    public PhotoOptions Photo { get; set; } = new();

    /// <summary>Face checks of the ID photo (Face/FaceOptions.cs).</summary>
    public Face.FaceOptions Face { get; set; } = new();

    public DocumentOptions Document { get; set; } = new();

    public NormaliserOptions Normaliser { get; set; } = new();

    public WatermarkOptions Watermark { get; set; } = new();

    public PassMarkOptions PassMark { get; set; } = new();

    /// <summary>
    /// Images decoded at once in this process (each holds up to <see cref="DocumentOptions.MaxDecodedPixels"/> × 3
    /// bytes while in flight); further callers wait for a slot. 0 (default) means one per core: more would only
    /// queue for the same cores while holding their memory.
    /// </summary>
    public int MaxConcurrentDecodes { get; set; }
}

/// <summary>ID photo (报名照片) rules: any JPEG/PNG/HEIC/WebP in, JPEG &lt; 30 KB out, ≥ 190×254, 小2寸 (33×48 mm) on white.</summary>
public sealed record PhotoOptions
{
    /// <summary>
    /// Decoder strictness. Warning (default) refuses corrupt entropy-coded data too: libvips decodes a
    /// cut JPEG with an EOI appended, or one with bad Huffman codes, to grey garbage at Truncated/Error.
    /// </summary>
    public Enums.FailOn FailOn { get; set; } = Enums.FailOn.Warning;

    /// <summary>Largest upload accepted for processing at all (before decoding).</summary>
    public int MaxInputBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest width × height the photo may declare.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// The output file, pass mark included, is strictly smaller than this. "文件小于30KB" read with KB =
    /// 1000 bytes, the stricter reading.
    /// </summary>
    public int MaxFileBytes { get; set; } = 30_000;

    /// <summary>Minimum width in pixels (never enlarged to reach it).</summary>
    public int MinWidth { get; set; } = 190;

    /// <summary>Minimum height in pixels.</summary>
    public int MinHeight { get; set; } = 254;

    /// <summary>Target width/height: 小2寸 is 33 × 48 mm = 0.6875.</summary>
    public double AspectRatio { get; set; } = 33.0 / 48.0;

    /// <summary>
    /// Ratios within ± this of <see cref="AspectRatio"/> are kept as they are. 0.065 admits the official
    /// minimum 190×254 (0.748); anything further off is centre-cropped to exactly <see cref="AspectRatio"/>.
    /// </summary>
    public double AspectTolerance { get; set; } = 0.065;

    /// <summary>Largest share of the width or height the proportion crop may remove (more → refuse).</summary>
    public double MaxCropFraction { get; set; } = 0.4;

    /// <summary>Output is downscaled to fit this box (33 × 48 mm at 300 dpi); never enlarged.</summary>
    public int OutputMaxWidth { get; set; } = 390;

    /// <summary>See <see cref="OutputMaxWidth"/>.</summary>
    public int OutputMaxHeight { get; set; } = 567;

    /// <summary>Highest JPEG quality tried; the search picks the highest that fits under the size limit.</summary>
    public int MaxQuality { get; set; } = 95;

    /// <summary>Lowest JPEG quality accepted before the photo is made smaller instead.</summary>
    public int MinQuality { get; set; } = 60;

    /// <summary>Share of the height, from the top, used as the top background strip.</summary>
    public double BackgroundTopStrip { get; set; } = 0.06;

    /// <summary>Share of the width used as the left and right background strips.</summary>
    public double BackgroundSideStrip { get; set; } = 0.08;

    /// <summary>Side strips run from the top down to this share of the height (above the shoulders).</summary>
    public double BackgroundSideStripDepth { get; set; } = 0.4;

    /// <summary>Minimum mean CIE L* (0-100) of every background strip; 85 ≈ sRGB grey 212.</summary>
    public double BackgroundMinLightness { get; set; } = 85;

    /// <summary>Maximum standard deviation of L* within a strip (uniformity).</summary>
    public double BackgroundMaxLightnessDeviation { get; set; } = 8;

    /// <summary>Maximum mean CIE chroma C* of a strip: white is ~0, the usual blue ID background is &gt; 30.</summary>
    public double BackgroundMaxChroma { get; set; } = 10;

    /// <summary>
    /// Minimum variance of the Laplacian of the grey subject region, measured at output size (what
    /// registration will see). Sharp portraits measure in the hundreds to thousands; a defocus of Gaussian
    /// σ ≈ 2 px at output size measures about 15-35, σ ≈ 3 px below 20.
    /// </summary>
    public double MinSharpness { get; set; } = 40;

    /// <summary>Minimum mean grey level (0-255) of the subject region.</summary>
    public double MinSubjectLuminance { get; set; } = 60;

    /// <summary>Maximum mean grey level (0-255) of the subject region (washed out, or no subject at all).</summary>
    public double MaxSubjectLuminance { get; set; } = 225;
}

/// <summary>Document image (报名材料图片) rules: jpg/jpeg/png, ≤ 200 KB, clear, complete, upright.</summary>
public sealed record DocumentOptions
{
    /// <summary>
    /// Decoder strictness. Warning (default) refuses corrupt entropy-coded data too: libvips decodes a
    /// cut JPEG with an EOI appended, or one with bad Huffman codes, to grey garbage at Truncated/Error.
    /// </summary>
    public Enums.FailOn FailOn { get; set; } = Enums.FailOn.Warning;

    /// <summary>Largest accepted file: "不超过200k" read as 200 × 1024 bytes.</summary>
    public int MaxFileBytes { get; set; } = 200 * 1024;

    /// <summary>Largest width × height the upload may declare.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>
    /// Uploads declaring more pixels than this are decoded shrunk while loading (JPEG at 1/2, 1/4 or 1/8 inside
    /// the decoder, PNG streamed through the shrink) to at most this many, already upright; the checks still
    /// judge the stored size, and the reviewer copy is made from the shrunk pixels. 4 MP (12 MB of sRGB,
    /// e.g. 1680×2380, about 200 dpi on A4) keeps every admitted image under 50 MB in flight (measured: about
    /// 42 MB for a 170 KB PNG of 6000×6000, 108 MB decoded at full size; 6 MP measured about 48 MB).
    /// </summary>
    public long MaxDecodedPixels { get; set; } = 4_000_000;

    /// <summary>Shorter side needed for small print to stay legible (A4 at ~72 dpi).</summary>
    public int MinShortSide { get; set; } = 600;

    /// <summary>Measurements run on a copy no longer than this, so thresholds do not depend on camera resolution.</summary>
    public int AnalysisMaxLongSide { get; set; } = 2000;

    /// <summary>
    /// The page counts as blank when fewer than this share of its tiles hold content (see
    /// <see cref="ContentMinDeviation"/>). Tile-based rather than a global deviation, so a certificate with
    /// one line of text on a large white page is not mistaken for a blank one.
    /// </summary>
    public double BlankMaxContentFraction { get; set; } = 0.003;

    /// <summary>
    /// Minimum sharpness: the median, over content tiles, of the Laplacian variance of the grey image at
    /// analysis size (see <see cref="SharpnessTileSize"/>, <see cref="ContentMinDeviation"/>). Crisp text
    /// measures in the thousands; 20 px text blurred with Gaussian σ = 2 px about 70-120 (still legible),
    /// σ = 3 px about 15-30 (not).
    /// </summary>
    public double MinSharpness { get; set; } = 60;

    /// <summary>Tile edge in pixels for the sharpness measure.</summary>
    public int SharpnessTileSize { get; set; } = 32;

    /// <summary>A tile counts as content (text, edges) when its grey deviation is at least this.</summary>
    public double ContentMinDeviation { get; set; } = 12;

    /// <summary>Report EXIF-rotated uploads (orientation tag other than 1): the rule is "画面保持正向".</summary>
    public bool RequireUpright { get; set; } = true;
}

/// <summary>How large phone photos (~1.5 MB, or HEIC/PNG/WebP) become compliant document JPEGs.</summary>
public sealed record NormaliserOptions
{
    /// <summary>
    /// Decoder strictness. Warning (default) refuses corrupt entropy-coded data too: libvips decodes a
    /// cut JPEG with an EOI appended, or one with bad Huffman codes, to grey garbage at Truncated/Error.
    /// </summary>
    public Enums.FailOn FailOn { get; set; } = Enums.FailOn.Warning;

    /// <summary>Largest input accepted.</summary>
    public int MaxInputBytes { get; set; } = 30 * 1024 * 1024;

    /// <summary>Largest width × height the input may declare.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Output size limit in bytes (same as <see cref="DocumentOptions.MaxFileBytes"/> by default).</summary>
    public int MaxOutputBytes { get; set; } = 200 * 1024;

    /// <summary>First downscale to this longer side (never enlarging).</summary>
    public int MaxLongSide { get; set; } = 2000;

    /// <summary>Never shrink the shorter side below this (legibility); the input's own size if smaller.</summary>
    public int MinShortSide { get; set; } = 600;

    /// <summary>Highest JPEG quality tried.</summary>
    public int MaxQuality { get; set; } = 90;

    /// <summary>Lowest JPEG quality accepted before stepping the size down instead.</summary>
    public int MinQuality { get; set; } = 55;

    /// <summary>Each size step multiplies both sides by this.</summary>
    public double StepFactor { get; set; } = 0.85;

    /// <summary>
    /// Tolerate data after the image end (phones append motion-photo video, maker trailers): safe here
    /// because the original bytes are discarded and only the re-encoded JPEG is kept.
    /// </summary>
    public bool AllowTrailingData { get; set; } = true;
}

/// <summary>Reviewer copy watermark (保护考生个人资料，仅用于医师资格考试工作).</summary>
public sealed record WatermarkOptions
{
    /// <summary>Text; {0} is replaced by the registration number.</summary>
    public string TextTemplate { get; set; } = "仅供医师资格考试报名审核使用 {0}";

    /// <summary>Font family (fontconfig name); must cover CJK.</summary>
    public string FontFamily { get; set; } = "WenQuanYi Micro Hei";

    /// <summary>Text height as a share of the image's shorter side.</summary>
    public double TextHeightFraction { get; set; } = 0.035;

    /// <summary>Smallest text height in pixels.</summary>
    public int MinTextHeight { get; set; } = 12;

    /// <summary>Opacity 0-1 of the text.</summary>
    public double Opacity { get; set; } = 0.3;

    /// <summary>Text colour as #RRGGBB.</summary>
    public string Colour { get; set; } = "#C00000";

    /// <summary>Rotation of the text rows, degrees anticlockwise (diagonal is harder to crop away).</summary>
    public double AngleDegrees { get; set; } = 30;

    /// <summary>JPEG quality of the reviewer copy.</summary>
    public int Quality { get; set; } = 85;

    /// <summary>
    /// Optimal Huffman tables for the reviewer copy. Off by default: it doubles the cost of the JPEG encode,
    /// the largest step of the document pipeline after the decode, for files about 11% smaller (measured on
    /// the benchmark corpus). Turn it on when storage matters more than CPU.
    /// </summary>
    public bool OptimizeCoding { get; set; }
}
