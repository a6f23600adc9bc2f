using BenchmarkDotNet.Attributes;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;

namespace ExamReview.Benchmarks;

/// <summary>
/// The reviewer-copy path for one stored document image (~200 KB JPEG): check it, watermark it, save it;
/// next to the floor libvips itself sets for the same files (decode + encode at the same settings).
/// </summary>
public class DocumentThroughput
{
    private const string RegistrationNumber = "2025110105000123";
    private static readonly JpegSaveOptions SaveOptions = new() { Quality = 85, Strip = true, OptimizeCoding = true };
    private byte[][] _documents = [];
    private DocumentInspector _inspector = null!;
    private Watermarker _watermarker = null!;
    private int _next;

    [GlobalSetup]
    public void Setup() => Setup(Corpus.Documents);

    internal void Setup(byte[][] documents)
    {
        VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
        _documents = documents;
        _inspector = new DocumentInspector(new DocumentOptions());
        _watermarker = new Watermarker(new WatermarkOptions { Quality = SaveOptions.Quality });
    }

    [Benchmark(Baseline = true, Description = "libvips floor: decode + encode")]
    public int Floor_DecodeEncode() => FloorOf(Next());

    [Benchmark(Description = "check (DocumentInspector)")]
    public int Check() => _inspector.Inspect(Next()).Findings.Count;

    [Benchmark(Description = "watermark + save")]
    public int Watermark() => _watermarker.Apply(Next(), RegistrationNumber).Length;

    [Benchmark(Description = "check + watermark + save")]
    public int Check_Watermark_Save() => PipelineOf(Next());

    public int FloorOf(byte[] document)
    {
        using var image = VipsImage.LoadFromBuffer(document, new ImageLoadOptions { Access = Access.Sequential });
        return image.ToJpeg(SaveOptions).Length;
    }

    public int PipelineOf(byte[] document)
    {
        var inspection = _inspector.Inspect(document);
        if (!inspection.Passed)
        {
            throw new InvalidOperationException("benchmark corpus must pass: " + string.Join(", ", inspection.Findings.Select(f => f.Code)));
        }

        return _watermarker.Apply(document, RegistrationNumber).Length;
    }

    private byte[] Next() => _documents[_next++ % _documents.Length];
}
