using System.Collections.Concurrent;
using System.Diagnostics;
using OpenCvSharp;

namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// Decoded 8-bit pixels handed to <see cref="FaceCheck"/>: 1 band (grey), 3 (BGR) or 4 (BGRA), rows
/// <paramref name="Stride"/> bytes apart. May be a downscaled copy of the photo (see <see cref="FaceCheck.Inspect"/>).
/// </summary>
public readonly record struct FacePixels(int Width, int Height, int Stride, int Channels, ReadOnlyMemory<byte> Data);

/// <summary>What the face check measured (photo pixels and shares of the frame; for logs and threshold tuning).</summary>
public sealed record FaceMeasurements(int Faces, PixelRect? Face, double? RollDegrees, FacePlacement? Placement, double DetectionMilliseconds);

/// <summary>Outcome of <see cref="FaceCheck.Inspect"/>: findings (empty = the face is fine) and the crop that frames it, if one is needed.</summary>
public sealed record FaceReport(IReadOnlyList<Finding> Findings, PixelRect? Crop, FaceMeasurements Measurements);

/// <summary>
/// The ID photo's face checks on OpenCV Haar cascades: exactly one face, frontal (both eyes found, roll within
/// tolerance), and head size and position per the norms (<see cref="PortraitGeometry"/>). Independent of the
/// imaging binding: it takes plain pixels. Thread-safe (cascades are pooled: a classifier is not re-entrant).
/// </summary>
public sealed class FaceCheck : IDisposable
{
    private readonly FaceOptions _options;
    private readonly PortraitGeometry _geometry;
    private readonly ConcurrentBag<Cascades> _pool = [];

    public FaceCheck(FaceOptions options, PortraitFrame frame)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(frame);
        if (options.DetectionMaxSide < 64 || options.DetectionScaleStep <= 1 || options.MinFaceWidthShare <= 0
            || options.MinFaceWidthShare > options.TargetFaceWidthShare || options.TargetFaceWidthShare > options.MaxFaceWidthShare
            || options.MinEyeLineShare > options.TargetEyeLineShare || options.TargetEyeLineShare > options.MaxEyeLineShare)
        {
            throw new ArgumentException("invalid FaceOptions", nameof(options));
        }

        _geometry = new PortraitGeometry(options, frame);
        NativeCodecs.LoadBeforeOpenCv();
        _pool.Add(new Cascades(options)); // fail at start-up, not on the first photo, if a cascade is missing
    }

    /// <summary>Longer side of the copy detection runs on; callers may hand a copy of this size to save work.</summary>
    public int DetectionMaxSide => _options.DetectionMaxSide;

    /// <summary>
    /// Checks the face in <paramref name="pixels"/>, a copy (possibly downscaled) of an upright photo of
    /// <paramref name="frameWidth"/> × <paramref name="frameHeight"/>; the crop is in the photo's pixels.
    /// </summary>
    public FaceReport Inspect(FacePixels pixels, int frameWidth, int frameHeight)
    {
        var started = Stopwatch.GetTimestamp();
        var cascades = Rent();
        try
        {
            using var grey = Grey(pixels, _options.DetectionMaxSide);
            var (findings, crop, faces, face, roll, placement) = Analyse(cascades, grey, (double)frameWidth / grey.Width, (double)frameHeight / grey.Height, frameWidth, frameHeight);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new FaceReport(findings, crop, new FaceMeasurements(faces, face, roll, placement, elapsed));
        }
        finally
        {
            _pool.Add(cascades);
        }
    }

    public void Dispose()
    {
        while (_pool.TryTake(out var cascades))
        {
            cascades.Dispose();
        }
    }

    private (List<Finding>, PixelRect?, int, PixelRect?, double?, FacePlacement?) Analyse(
        Cascades cascades, Mat grey, double scaleX, double scaleY, int frameWidth, int frameHeight)
    {
        var o = _options;
        var findings = new List<Finding>();
        var candidates = Faces(cascades.Face, grey);
        if (candidates.Count == 0)
        {
            findings.Add(WhyNoFace(cascades, grey));
            return (findings, null, 0, null, null, null);
        }

        // The face cascade also fires on clothing, hair and backdrops now and then (measured: a box larger than
        // the real face on a spacesuit): a hit counts as a person only with both eyes found in it.
        var withEyes = candidates.Select(c => (Box: c, Eyes: Eyes.FindPair(cascades.Eye, grey, c, o.EyeMinNeighbours))).ToList();
        var verified = withEyes.Where(c => c.Eyes is not null).ToList();
        var people = verified.Where(c => c.Box.Width >= o.OtherFaceMinSizeRatio * verified[0].Box.Width).ToList();
        if (people.Count > 1)
        {
            findings.Add(FaceFindings.Multiple(people.Count));
            return (findings, null, people.Count, null, null, null);
        }

        // One person, or no hit with both eyes: then the largest hit is the face whose eyes are missing.
        var (box, eyes) = people.Count == 1 ? people[0] : withEyes[0];
        double? roll = eyes is var (left, right) ? Math.Atan2(right.Y - left.Y, right.X - left.X) * 180 / Math.PI : null;
        var eyeLine = eyes is var (l, r) ? (l.Y + r.Y) / 2 : box.Y + (o.EyeLineInFaceBox * box.Height);
        var face = new FaceBox(box.X * scaleX, box.Y * scaleY, box.Width * scaleX, box.Height * scaleY, eyeLine * scaleY);
        var faceRect = new PixelRect((int)face.X, (int)face.Y, (int)Math.Round(face.Width), (int)Math.Round(face.Height));
        var geometry = _geometry.Fit(frameWidth, frameHeight, face);

        // A face too small for the minimum frame also has eyes too small to find: report the cause only.
        var tooSmall = geometry.Findings.Any(f => f.Code == FaceFindingCodes.TooSmall);
        if (roll is null && !tooSmall)
        {
            findings.Add(FaceFindings.EyesNotFound());
        }
        else if (roll is { } degrees && Math.Abs(degrees) > o.MaxRollDegrees)
        {
            findings.Add(FaceFindings.Tilted(degrees, o.MaxRollDegrees));
        }

        findings.AddRange(geometry.Findings);
        var crop = findings.Count == 0 ? geometry.Crop : null;
        return (findings, crop, 1, faceRect, roll, geometry.Placement);
    }

    /// <summary>Tells a tilted head or a profile from a photo with no face at all.</summary>
    private Finding WhyNoFace(Cascades cascades, Mat grey)
    {
        var centre = new Point2f(grey.Width / 2f, grey.Height / 2f);
        foreach (var magnitude in _options.TiltSearchDegrees)
        {
            foreach (var angle in new[] { magnitude, -magnitude })
            {
                using var rotation = Cv2.GetRotationMatrix2D(centre, angle, 1.0);
                using var rotated = new Mat();
                Cv2.WarpAffine(grey, rotated, rotation, grey.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);

                // A turned copy of a non-face (upside down, textures) now and then fools the face cascade:
                // count it only when both eyes are found in it too.
                var pair = Faces(cascades.Face, rotated).Select(f => Eyes.FindPair(cascades.Eye, rotated, f, _options.EyeMinNeighbours)).FirstOrDefault(e => e is not null);
                if (pair is var (left, right))
                {
                    // Turning the copy anticlockwise by angle made the face (nearly) upright, so the head is turned
                    // clockwise by angle plus what is left: the eye-line roll's sign (positive = right-hand eye lower).
                    var residual = Math.Atan2(right.Y - left.Y, right.X - left.X) * 180 / Math.PI;
                    return FaceFindings.Tilted(angle + residual, _options.MaxRollDegrees);
                }
            }
        }

        using var mirrored = new Mat();
        Cv2.Flip(grey, mirrored, FlipMode.Y);
        var minSize = MinFaceSize(grey);
        var profile = cascades.Profile.DetectMultiScale(grey, _options.DetectionScaleStep, _options.FaceMinNeighbours, HaarDetectionTypes.ScaleImage, minSize).Length
            + cascades.Profile.DetectMultiScale(mirrored, _options.DetectionScaleStep, _options.FaceMinNeighbours, HaarDetectionTypes.ScaleImage, minSize).Length;
        return profile > 0 ? FaceFindings.Profile() : FaceFindings.None();
    }

    /// <summary>Frontal face hits, largest first; a hit centred inside a larger one is the same face.</summary>
    private List<Rect> Faces(CascadeClassifier cascade, Mat grey)
    {
        var hits = cascade.DetectMultiScale(grey, _options.DetectionScaleStep, _options.FaceMinNeighbours, HaarDetectionTypes.ScaleImage, MinFaceSize(grey))
            .OrderByDescending(r => r.Width)
            .ToList();
        var kept = new List<Rect>();
        foreach (var hit in hits)
        {
            var centre = new Point(hit.X + (hit.Width / 2), hit.Y + (hit.Height / 2));
            if (!kept.Any(k => k.Contains(centre)))
            {
                kept.Add(hit);
            }
        }

        return kept;
    }

    private Size MinFaceSize(Mat grey)
    {
        var side = Math.Max(24, (int)(Math.Min(grey.Width, grey.Height) * _options.MinFaceShareOfShortSide));
        return new Size(side, side);
    }

    /// <summary>Equalised grey copy, longer side at most <paramref name="maxSide"/>.</summary>
    private static Mat Grey(FacePixels pixels, int maxSide)
    {
        if (pixels.Channels is not (1 or 3 or 4) || pixels.Width < 1 || pixels.Height < 1 || pixels.Stride < pixels.Width * pixels.Channels
            || pixels.Data.Length < ((long)pixels.Stride * (pixels.Height - 1)) + (pixels.Width * pixels.Channels))
        {
            throw new ArgumentException("pixel buffer does not match its description", nameof(pixels));
        }

        // One copy into a continuous Mat (the caller's buffer may be padded or pooled; OpenCV never sees it).
        using var source = new Mat(pixels.Height, pixels.Width, MatType.CV_8UC(pixels.Channels));
        var rowBytes = pixels.Width * pixels.Channels;
        var target = source.AsSpan<byte>();
        var data = pixels.Data.Span;
        for (var y = 0; y < pixels.Height; y++)
        {
            data.Slice(y * pixels.Stride, rowBytes).CopyTo(target.Slice(y * rowBytes, rowBytes));
        }

        using var grey = new Mat();
        switch (pixels.Channels)
        {
            case 1: source.CopyTo(grey); break;
            case 3: Cv2.CvtColor(source, grey, ColorConversionCodes.BGR2GRAY); break;
            default: Cv2.CvtColor(source, grey, ColorConversionCodes.BGRA2GRAY); break;
        }

        var scale = Math.Min(1.0, (double)maxSide / Math.Max(pixels.Width, pixels.Height));
        var result = new Mat();
        if (scale < 1.0)
        {
            using var small = new Mat();
            var size = new Size(Math.Max(1, (int)Math.Round(pixels.Width * scale)), Math.Max(1, (int)Math.Round(pixels.Height * scale)));
            Cv2.Resize(grey, small, size, 0, 0, InterpolationFlags.Area);
            Cv2.EqualizeHist(small, result);
        }
        else
        {
            Cv2.EqualizeHist(grey, result);
        }

        return result;
    }

    private Cascades Rent() => _pool.TryTake(out var cascades) ? cascades : new Cascades(_options);

    private sealed class Cascades : IDisposable
    {
        public Cascades(FaceOptions options)
        {
            Face = Load(options, options.FaceCascade);
            Eye = Load(options, options.EyeCascade);
            Profile = Load(options, options.ProfileCascade);
        }

        public CascadeClassifier Face { get; }

        public CascadeClassifier Eye { get; }

        public CascadeClassifier Profile { get; }

        public void Dispose()
        {
            Face.Dispose();
            Eye.Dispose();
            Profile.Dispose();
        }

        private static CascadeClassifier Load(FaceOptions options, string file)
        {
            var path = Path.Combine(options.CascadeDirectory, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Haar cascade not found (apt-get install opencv-data, or set ImageValidation:Face:CascadeDirectory): {path}", path);
            }

            var cascade = new CascadeClassifier(path);
            if (cascade.Empty())
            {
                cascade.Dispose();
                throw new InvalidOperationException($"Haar cascade could not be read: {path}");
            }

            return cascade;
        }
    }
}
