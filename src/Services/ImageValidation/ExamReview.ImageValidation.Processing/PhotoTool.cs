using ExamReview.ImageValidation.Processing.Face;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;

namespace ExamReview.ImageValidation.Processing;

/// <summary>What <see cref="PhotoTool"/> measured (for logs, support, and threshold tuning).</summary>
public sealed record PhotoMeasurements(
    int InputWidth,
    int InputHeight,
    int Orientation,
    bool Cropped,
    int Width,
    int Height,
    double Sharpness,
    double BackgroundLightness,
    double BackgroundLightnessDeviation,
    double BackgroundChroma,
    double SubjectLuminance,
    int Quality,
    int FileBytes);

/// <summary>Outcome of <see cref="PhotoTool.Process"/>: either a signed compliant JPEG or the findings.</summary>
public sealed record PhotoResult(byte[]? Jpeg, IReadOnlyList<Finding> Findings, PhotoMeasurements? Measurements)
{
    public bool Passed => Jpeg is not null && Findings.Count == 0;
}

/// <summary>
/// Our equivalent of the official 医考报名照片检测工具: checks an ID photo against the rules and, when it
/// passes, re-saves it as the compliant file registration accepts, carrying a <see cref="PassMark"/>.
/// Any photo a candidate has goes in — JPEG, PNG, HEIC or WebP, never refused for its format alone — and
/// mechanical fixes make it compliant (re-encode as JPEG, upright per EXIF, centre-crop to 33:48, downscale,
/// strip metadata, pick the best JPEG quality under the size limit, and — with a <see cref="FaceCheck"/> — crop
/// to frame the face); anything needing a new photo is a finding. Retouching and recency cannot be judged here
/// and are left to the reviewer.
/// </summary>
public sealed class PhotoTool
{
    private readonly PhotoOptions _options;
    private readonly PassMark _passMark;
    private readonly DecodeGate _gate;
    private readonly FaceCheck? _faceCheck; // null: no face checks (issue 12 item 4, see Face/)

    /// <param name="options">The rules.</param>
    /// <param name="passMark">Signs the compliant output.</param>
    /// <param name="faceCheck">The face checks; none when null.</param>
    /// <param name="gate">Bounds how many images decode at once; <see cref="DecodeGate.Shared"/> when null.</param>
    public PhotoTool(PhotoOptions options, PassMark passMark, FaceCheck? faceCheck = null, DecodeGate? gate = null)
    {
        _faceCheck = faceCheck;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _passMark = passMark ?? throw new ArgumentNullException(nameof(passMark));
        _gate = gate ?? DecodeGate.Shared;
        if (options.MinWidth < 1 || options.MinHeight < 1 || options.AspectRatio <= 0 || options.MinQuality < 1 || options.MaxQuality > 100 || options.MinQuality > options.MaxQuality)
        {
            throw new ArgumentException("invalid PhotoOptions", nameof(options));
        }
    }

    /// <summary>Checks and normalises one uploaded photo. Never throws for bad input: problems are findings.</summary>
    public PhotoResult Process(ReadOnlySpan<byte> upload)
    {
        var o = _options;
        var findings = new List<Finding>();
        if (upload.Length > o.MaxInputBytes)
        {
            findings.Add(new Finding(
                FindingCodes.PhotoInputTooLarge,
                "上传的照片文件过大。",
                "The uploaded photo file is too large to process.",
                $"≤ {Fmt.Bytes(o.MaxInputBytes)}",
                Fmt.Bytes(upload.Length)));
            return new PhotoResult(null, findings, null);
        }

        var load = new ImageLoadOptions { MaxPixels = o.MaxPixels, FailOn = o.FailOn };
        using var slot = _gate.Enter();
        Image? upright = null;
        try
        {
            // Shrunk while loading to twice the output box, upright per EXIF: a 12 MP phone photo is never
            // decoded at full size, and the geometry below is judged on the header's size.
            var box = 2 * Math.Max(o.OutputMaxWidth, o.OutputMaxHeight);
            upright = UntrustedImage.Thumbnail(upload, box, box, load, out var header);
            using var srgb = Intake.ToSrgb(upright);
            using var decoded = srgb.CopyMemory(); // damaged pixel data fails here
            return Check(decoded, header, findings);
        }
        catch (ImagingException e)
        {
            findings.Add(Intake.Describe(e, IntakeCodes.Photo, load));
            return new PhotoResult(null, findings, null);
        }
        catch (VipsException e)
        {
            // A libvips step failed (damaged pixel data, usually): unreadable rather than a crashed request.
            findings.Add(Intake.Unreadable(IntakeCodes.Photo, e.Message));
            return new PhotoResult(null, findings, null);
        }
        finally
        {
            upright?.Dispose();
        }
    }

    /// <param name="loaded">The photo upright, as 8-bit sRGB in memory, possibly shrunk from the stored size.</param>
    /// <param name="header">The stored size and orientation: proportions and the minimum size are judged on it.</param>
    /// <param name="findings">Where problems go.</param>
    private PhotoResult Check(Image loaded, ImageHeader header, List<Finding> findings)
    {
        var o = _options;
        var orientation = header.Orientation;
        var shrunk = (double)loaded.Width / header.UprightWidth; // 1 unless shrunk on load

        // Face hook (issue 12 item 4, Face/PhotoFaceHook.cs): face findings, and the crop that frames the face
        // (judged in the stored size's pixels, like the proportions and the minimum size below).
        var stored = new PixelRect(0, 0, header.UprightWidth, header.UprightHeight);
        using var srgb = PhotoFaceHook.Apply(_faceCheck, loaded, stored, findings, out var kept);
        var faceCropped = kept != stored;
        int inputWidth = kept.Width, inputHeight = kept.Height;

        // 1. Proportions: keep ratios within tolerance, else centre-crop to exactly 33:48 if that keeps enough.
        var ratio = (double)inputWidth / inputHeight;
        int cropWidth = inputWidth, cropHeight = inputHeight;
        if (Math.Abs(ratio - o.AspectRatio) > o.AspectTolerance)
        {
            if (ratio > o.AspectRatio)
            {
                cropWidth = (int)Math.Round(inputHeight * o.AspectRatio);
            }
            else
            {
                cropHeight = (int)Math.Round(inputWidth / o.AspectRatio);
            }
        }

        var cropped = faceCropped || cropWidth != inputWidth || cropHeight != inputHeight;
        var removed = Math.Max(1 - ((double)cropWidth / inputWidth), 1 - ((double)cropHeight / inputHeight));
        var geometryOk = true;
        if (removed > o.MaxCropFraction)
        {
            geometryOk = false;
            findings.Add(new Finding(
                FindingCodes.PhotoWrongProportions,
                "照片比例不符合小2寸（33×48毫米）竖版证件照要求。",
                "The photo's proportions are not those of a portrait small 2-inch ID photo (33×48 mm).",
                $"width/height {Fmt.Num(o.AspectRatio)} ± {Fmt.Num(o.AspectTolerance)}",
                Fmt.Num(ratio)));
            cropWidth = inputWidth;
            cropHeight = inputHeight;
            cropped = false;
        }

        // 2. Size: never enlarge, so a small photo is refused.
        if (cropWidth < o.MinWidth || cropHeight < o.MinHeight)
        {
            geometryOk = false;
            findings.Add(new Finding(
                FindingCodes.PhotoTooSmall,
                $"照片像素尺寸过小，宽×高至少为{o.MinWidth}×{o.MinHeight}像素（不可放大），请使用更高清的照片。",
                $"The photo is too small: at least {o.MinWidth}x{o.MinHeight} px (width x height) is needed, and it cannot be enlarged.",
                $"≥ {Fmt.Size(o.MinWidth, o.MinHeight)}",
                cropped ? $"{Fmt.Size(cropWidth, cropHeight)} after cropping to 33:48" : Fmt.Size(cropWidth, cropHeight)));
        }

        if (cropWidth < 16 || cropHeight < 16)
        {
            return new PhotoResult(null, findings, null); // nothing meaningful left to measure
        }

        // The crop in the loaded pixels' coordinates.
        int frameWidth = Math.Min(srgb.Width, (int)Math.Round(cropWidth * shrunk)), frameHeight = Math.Min(srgb.Height, (int)Math.Round(cropHeight * shrunk));
        using var framed = srgb.ExtractArea((srgb.Width - frameWidth) / 2, (srgb.Height - frameHeight) / 2, frameWidth, frameHeight);

        // 3. Downscale to the output box (quality checks run at the size registration will see).
        var scale = Math.Min(1.0, Math.Min((double)o.OutputMaxWidth / cropWidth, (double)o.OutputMaxHeight / cropHeight)) / shrunk;
        using var sized = scale < 1.0 ? framed.Resize(scale) : framed.Copy();
        using var output = sized.CopyMemory(); // evaluated once; measured and then encoded several times

        var (bgLightness, bgDeviation, bgChroma) = MeasureBackground(output);
        var (subjectLuminance, sharpness) = MeasureSubject(output);

        if (bgLightness < o.BackgroundMinLightness || bgDeviation > o.BackgroundMaxLightnessDeviation || bgChroma > o.BackgroundMaxChroma)
        {
            findings.Add(new Finding(
                FindingCodes.PhotoBackgroundNotWhite,
                "照片背景须为均匀的白色。",
                "The background must be plain, even white.",
                $"L* ≥ {Fmt.Num(o.BackgroundMinLightness)}, σ(L*) ≤ {Fmt.Num(o.BackgroundMaxLightnessDeviation)}, C* ≤ {Fmt.Num(o.BackgroundMaxChroma)}",
                $"L* {Fmt.Num(bgLightness)}, σ(L*) {Fmt.Num(bgDeviation)}, C* {Fmt.Num(bgChroma)}"));
        }

        if (sharpness < o.MinSharpness)
        {
            findings.Add(new Finding(
                FindingCodes.PhotoBlurred,
                "照片不够清晰（模糊或失焦），请重新拍摄。",
                "The photo is not sharp (blurred or out of focus); please take it again.",
                $"Laplacian variance ≥ {Fmt.Num(o.MinSharpness)}",
                Fmt.Num(sharpness)));
        }

        if (subjectLuminance < o.MinSubjectLuminance)
        {
            findings.Add(new Finding(
                FindingCodes.PhotoTooDark,
                "照片人像过暗，请在均匀充足的光线下重新拍摄。",
                "The subject is too dark; please retake it in even, sufficient light.",
                $"mean grey ≥ {Fmt.Num(o.MinSubjectLuminance)}",
                Fmt.Num(subjectLuminance)));
        }
        else if (subjectLuminance > o.MaxSubjectLuminance)
        {
            findings.Add(new Finding(
                FindingCodes.PhotoTooBright,
                "照片人像过亮（曝光过度）或画面中没有人像。",
                "The subject is overexposed, or there is no subject in the picture.",
                $"mean grey ≤ {Fmt.Num(o.MaxSubjectLuminance)}",
                Fmt.Num(subjectLuminance)));
        }

        PhotoMeasurements Measured(int w, int h, int q, int bytes) => new(
            inputWidth, inputHeight, orientation, cropped, w, h, sharpness, bgLightness, bgDeviation, bgChroma, subjectLuminance, q, bytes);

        if (findings.Count > 0 || !geometryOk)
        {
            return new PhotoResult(null, findings, Measured(output.Width, output.Height, 0, 0));
        }

        // 4. Encode: best quality under the limit (the pass mark's bytes reserved), else step the size down.
        var budget = o.MaxFileBytes - 1 - PassMark.MaxSegmentLength;
        var current = output;
        try
        {
            while (true)
            {
                if (JpegFit.Encode(current, budget, o.MinQuality, o.MaxQuality) is var (jpeg, quality))
                {
                    var signed = _passMark.Sign(jpeg);
                    return new PhotoResult(signed, findings, Measured(current.Width, current.Height, quality, signed.Length));
                }

                var nextWidth = (int)(current.Width * 0.9);
                var nextHeight = (int)(current.Height * 0.9);
                if (nextWidth < o.MinWidth || nextHeight < o.MinHeight)
                {
                    findings.Add(new Finding(
                        FindingCodes.PhotoTooLarge,
                        "照片在满足最小尺寸和画质的前提下仍无法压缩到30KB以内，请使用背景更简洁、噪点更少的照片。",
                        "The photo cannot be compressed under the size limit at the minimum size and quality; use a cleaner, less noisy photo.",
                        $"< {Fmt.Bytes(o.MaxFileBytes)}",
                        $"> {Fmt.Bytes(budget)} at {Fmt.Size(current.Width, current.Height)}, Q{o.MinQuality}"));
                    return new PhotoResult(null, findings, Measured(current.Width, current.Height, 0, 0));
                }

                using var smaller = current.Resize(Math.Max((double)nextWidth / current.Width, (double)nextHeight / current.Height));
                var next = smaller.CopyMemory();
                if (!ReferenceEquals(current, output))
                {
                    current.Dispose();
                }

                current = next;
            }
        }
        finally
        {
            if (!ReferenceEquals(current, output))
            {
                current.Dispose();
            }
        }
    }

    /// <summary>
    /// Background on three strips that a head-and-shoulders photo leaves free: along the top, and down the
    /// left and right edges above the shoulders. Reports the worst strip, so one grey corner is enough to fail.
    /// </summary>
    private (double Lightness, double Deviation, double Chroma) MeasureBackground(Image image)
    {
        var o = _options;
        int w = image.Width, h = image.Height;
        var top = Math.Max(1, (int)Math.Round(h * o.BackgroundTopStrip));
        var side = Math.Max(1, (int)Math.Round(w * o.BackgroundSideStrip));
        var depth = Math.Max(1, (int)Math.Round(h * o.BackgroundSideStripDepth));
        var strips = new[]
        {
            Measure.LightnessAndChroma(image, 0, 0, w, top),
            Measure.LightnessAndChroma(image, 0, 0, side, depth),
            Measure.LightnessAndChroma(image, w - side, 0, side, depth),
        };
        return (strips.Min(s => s.Lightness), strips.Max(s => s.LightnessDeviation), strips.Max(s => s.Chroma));
    }

    /// <summary>Subject region: the central 40% of the width, from 20% to 70% of the height (face and neck).</summary>
    private static (double Luminance, double Sharpness) MeasureSubject(Image image)
    {
        int w = image.Width, h = image.Height;
        var left = (int)(w * 0.3);
        var top = (int)(h * 0.2);
        using var region = image.ExtractArea(left, top, Math.Max(3, (int)(w * 0.4)), Math.Max(3, (int)(h * 0.5)));
        using var grey = Measure.Grey(region);
        return (grey.Avg(), Measure.LaplacianVariance(grey));
    }
}
