using BenchmarkDotNet.Attributes;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using NetVips;

namespace ExamReview.Benchmarks;

/// <summary>
/// The reviewer-copy path for one stored document image (~200 KB JPEG): check it, watermark it, save it;
/// next to the floor libvips itself sets for the same files: decode + encode at exactly the settings the
/// reviewer copy is saved with (quality, strip, Huffman optimisation as configured), nothing else.
/// </summary>
public class DocumentThroughput
{
    private static readonly WatermarkOptions Watermark = new();
    private byte[][] _documents = [];
    private DocumentInspector _inspector = null!;
    private Watermarker _watermarker = null!;
    private DocumentPipeline _pipeline = null!;
    private int _next;
    private long _candidate;

    [GlobalSetup]
    public void Setup() => Setup(Corpus.Documents);

    internal void Setup(byte[][] documents)
    {
        VipsRuntime.Initialise(new VipsRuntimeOptions { Concurrency = 1 });
        _documents = documents;
        _inspector = new DocumentInspector(new DocumentOptions());
        _watermarker = new Watermarker(Watermark);
        _pipeline = new DocumentPipeline(_inspector, _watermarker);
    }

    [Benchmark(Baseline = true, Description = "libvips floor: decode + encode")]
    public int Floor_DecodeEncode() => FloorOf(Next());

    [Benchmark(Description = "check (DocumentInspector)")]
    public int Check() => _inspector.Inspect(Next()).Findings.Count;

    [Benchmark(Description = "watermark + save (Watermarker)")]
    public int Watermark_Save() => _watermarker.Apply(Next(), NextRegistrationNumber()).Length;

    [Benchmark(Description = "check, then watermark + save: two decodes")]
    public int Check_Then_Watermark() => TwoCallsOf(Next(), NextRegistrationNumber());

    [Benchmark(Description = "DocumentPipeline: check + watermark + save")]
    public int Pipeline() => PipelineOf(Next(), NextRegistrationNumber());

    [Benchmark(Description = "DocumentPipeline, same candidate again")]
    public int Pipeline_SameCandidate() => PipelineOf(Next(), "2025110105000123");

    public int FloorOf(byte[] document)
    {
        using var image = Image.NewFromBuffer(document, access: Enums.Access.Sequential);
        return Save(image).Length;
    }

    /// <summary>
    /// The full pipeline for one document of a new candidate: a registration number not seen before, so the
    /// watermark text is rendered afresh (the worst case for the tile cache).
    /// </summary>
    public int PipelineOf(byte[] document) => PipelineOf(document, NextRegistrationNumber());

    public int PipelineOf(byte[] document, string registrationNumber)
    {
        var result = _pipeline.Process(document, registrationNumber);
        if (!result.Inspection.Passed || result.WatermarkedJpeg is null)
        {
            throw new InvalidOperationException("benchmark corpus must pass: " + string.Join(", ", result.Inspection.Findings.Select(f => f.Code)));
        }

        return result.WatermarkedJpeg.Length;
    }

    private int TwoCallsOf(byte[] document, string registrationNumber)
    {
        var inspection = _inspector.Inspect(document);
        if (!inspection.Passed)
        {
            throw new InvalidOperationException("benchmark corpus must pass: " + string.Join(", ", inspection.Findings.Select(f => f.Code)));
        }

        return _watermarker.Apply(document, registrationNumber).Length;
    }

    /// <summary>Saved exactly as the reviewer copy is: quality, no metadata, Huffman optimisation as configured.</summary>
    internal static byte[] Save(Image image) =>
        image.JpegsaveBuffer(q: Watermark.Quality, optimizeCoding: Watermark.OptimizeCoding, keep: Enums.ForeignKeep.None);

    /// <summary>The pipeline on any upload, whatever it finds (the bomb: its reviewer copy is what costs memory).</summary>
    public int AnyOf(byte[] document) => _pipeline.Process(document, NextRegistrationNumber()).WatermarkedJpeg?.Length ?? 0;

    private string NextRegistrationNumber() =>
        (2025110105000000L + Interlocked.Increment(ref _candidate)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private byte[] Next() => _documents[(Interlocked.Increment(ref _next) & int.MaxValue) % _documents.Length];
}
