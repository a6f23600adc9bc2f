namespace ExamReview.ImageValidation.Processing;

/// <summary>Outcome of <see cref="DocumentPipeline.Process"/>.</summary>
/// <param name="Inspection">The checks, exactly as <see cref="DocumentInspector.Inspect(ReadOnlySpan{byte})"/> reports them.</param>
/// <param name="WatermarkedJpeg">
/// The reviewer copy (upright, metadata stripped, watermarked), as <see cref="Watermarker.Apply"/> makes it; null
/// when the upload could not be decoded as a JPEG/PNG document (a format, unreadable, polyglot or
/// too-many-pixels finding), since nothing can be derived from it then.
/// </param>
public sealed record DocumentProcessingResult(DocumentInspection Inspection, byte[]? WatermarkedJpeg);

/// <summary>
/// Check + watermark + save for one uploaded document in a single pass: the upload is decoded once, the
/// checks read those pixels in place, and the reviewer copy is blended from the same pixels and encoded.
/// Same findings as <see cref="DocumentInspector"/>, same reviewer copy as <see cref="Watermarker"/>, at
/// roughly half their combined cost. Stateless apart from a small cache of rendered watermark tiles; thread-safe.
/// </summary>
public sealed class DocumentPipeline
{
    private readonly DocumentInspector _inspector;
    private readonly Watermarker _watermarker;
    private readonly DecodeGate _gate;

    /// <param name="inspector">The checks.</param>
    /// <param name="watermarker">The reviewer copy.</param>
    /// <param name="gate">Bounds how many images decode at once; <see cref="DecodeGate.Shared"/> when null.</param>
    public DocumentPipeline(DocumentInspector inspector, Watermarker watermarker, DecodeGate? gate = null)
    {
        _inspector = inspector ?? throw new ArgumentNullException(nameof(inspector));
        _watermarker = watermarker ?? throw new ArgumentNullException(nameof(watermarker));
        _gate = gate ?? DecodeGate.Shared;
    }

    public DocumentPipeline(DocumentOptions document, WatermarkOptions watermark, DecodeGate? gate = null)
        : this(
            new DocumentInspector(document, gate),
            new Watermarker(watermark, (document ?? throw new ArgumentNullException(nameof(document))).MaxPixels, gate, document.MaxDecodedPixels),
            gate)
    {
    }

    /// <summary>
    /// Inspects <paramref name="upload"/> and, when it could be decoded, makes the reviewer copy watermarked
    /// for <paramref name="registrationNumber"/> — also when the checks found problems, so reviewers see what
    /// was uploaded. Never throws for bad input: problems are findings. <paramref name="maxFileBytes"/> is the size limit
    /// the file was accepted under (its exam area's); null judges it by <see cref="DocumentOptions.MaxFileBytes"/>.
    /// </summary>
    public DocumentProcessingResult Process(ReadOnlySpan<byte> upload, string registrationNumber, long? maxFileBytes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registrationNumber);

        // The watermark tile (Pango text, rotated) is rendered on this thread when it is not cached: rendering it
        // on the thread pool while the document decoded saved ~0.6 ms of wall clock for a new candidate but cost
        // more CPU than the render itself (waking and spinning a pool thread), and CPU per document is what
        // bounds throughput when every core is busy.
        using var slot = _gate.Enter();
        var inspection = _inspector.Inspect(upload, out var decoded, maxFileBytes);
        if (decoded is null)
        {
            return new DocumentProcessingResult(inspection, null);
        }

        using (decoded)
        {
            // The checks measure the stored pixels; reviewers see them upright.
            using var upright = Watermarker.UprightCopy(decoded);
            return new DocumentProcessingResult(inspection, _watermarker.ApplyDecoded(upright ?? decoded, registrationNumber));
        }
    }
}
