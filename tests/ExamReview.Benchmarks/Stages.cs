using System.Diagnostics;
using System.Globalization;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using NetVips;

namespace ExamReview.Benchmarks;

/// <summary>
/// Where the pipeline's time goes (<c>-- --stages</c>): each step of <see cref="DocumentPipeline.Process"/>
/// timed on its own, document by document, interleaved with the floor so load from other processes on a shared
/// machine hits every step alike. Wall-clock medians on one calling thread.
/// </summary>
internal static class Stages
{
    private static readonly string[] Names =
    [
        "floor: decode + encode",
        "decode into memory",
        "checks on the pixels",
        "watermark text render (Pango)",
        "watermark tile from the text",
        "blend in place",
        "encode from memory",
    ];

    public static void Run(byte[][] corpus, int rounds)
    {
        var options = new DocumentOptions();
        var watermark = new WatermarkOptions();
        var watermarker = new Watermarker(watermark);
        var times = Names.Select(_ => new double[rounds]).ToArray();
        var number = 2025110105100000L;
        const int Warmup = 20;
        for (var i = -Warmup; i < rounds; i++)
        {
            var document = corpus[(i + Warmup) % corpus.Length];
            var t = new long[Names.Length + 2];
            t[0] = Stopwatch.GetTimestamp();
            using (var floor = Image.NewFromBuffer(document, access: Enums.Access.Sequential))
            {
                DocumentThroughput.Save(floor);
            }

            t[1] = Stopwatch.GetTimestamp();
            using var loaded = UntrustedImage.Load(document, new ImageLoadOptions { Access = Enums.Access.Sequential }, out _);
            using var decoded = DecodedPixels.From(loaded);
            t[2] = Stopwatch.GetTimestamp();
            DocumentInspector.MeasureInPlace(decoded, options);
            t[3] = Stopwatch.GetTimestamp();
            var text = watermarker.TextFor((++number).ToString(CultureInfo.InvariantCulture));
            var textHeight = watermarker.TextHeight(decoded.Width, decoded.Height);
            var coverage = watermarker.RenderText(text, textHeight);
            t[4] = Stopwatch.GetTimestamp();
            var tile = Watermarker.DiagonalTile(coverage.Pixels, coverage.Width, coverage.Height, watermark.AngleDegrees, watermark.Opacity, textHeight * 3);
            t[5] = Stopwatch.GetTimestamp();
            watermarker.BlendInPlace(decoded, tile);
            t[6] = Stopwatch.GetTimestamp();
            using (var marked = decoded.ToImage())
            {
                DocumentThroughput.Save(marked);
            }

            t[7] = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                for (var s = 0; s < Names.Length; s++)
                {
                    times[s][i] = Stopwatch.GetElapsedTime(t[s], t[s + 1]).TotalMilliseconds;
                }
            }
        }

        Console.WriteLine($"Steps of the pipeline ({rounds} documents, wall-clock medians, one thread, interleaved):");
        var floorMedian = Median(times[0]);
        var total = 0.0;
        for (var s = 0; s < Names.Length; s++)
        {
            var median = Median(times[s]);
            total += s == 0 ? 0 : median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Names[s],-32} {median,7:F2} ms  {median / floorMedian,5:F2}x floor"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"sum of the pipeline's steps",-32} {total,7:F2} ms  {total / floorMedian,5:F2}x floor"));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
