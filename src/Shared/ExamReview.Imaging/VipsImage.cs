using System.Runtime.InteropServices;
using System.Text;
using ExamReview.Imaging.Interop;

namespace ExamReview.Imaging;

/// <summary>Reads an image's raw pixels in place (see <see cref="VipsImage.ReadPixels"/>).</summary>
public delegate TResult PixelReader<in TState, out TResult>(ReadOnlySpan<byte> pixels, TState state)
    where TState : allows ref struct;

/// <summary>Changes an image's raw pixels in place (see <see cref="VipsImage.EditPixels"/>).</summary>
public delegate TResult PixelEditor<in TState, out TResult>(Span<byte> pixels, TState state)
    where TState : allows ref struct;

/// <summary>
/// An immutable libvips image. Every operation returns a new image (libvips evaluates lazily: pixels are
/// computed when something reads them, e.g. a save or a statistic). Dispose each image you create; an
/// undisposed one is released by its finaliser. Instances are safe to use from several threads at once,
/// except for <see cref="EditPixels"/>, the one mutation, which only a private decoded copy allows.
/// </summary>
public sealed class VipsImage : IDisposable
{
    private readonly VipsObjectHandle _handle;

    // Set when Decode computed a fresh memory copy that only this wrapper references; cleared for good the
    // first time the image is an operation's input (the operation, a lazy result or libvips' operation cache
    // may then read these pixels later, so changing them would change other images).
    private volatile bool _privatePixels;

    internal VipsImage(VipsObjectHandle handle, ImageFormat sourceFormat = ImageFormat.Unknown)
    {
        _handle = handle;
        SourceFormat = sourceFormat;
    }

    /// <summary>
    /// True for the result of <see cref="Decode"/> when it computed a new memory copy and nothing has used
    /// the image as an input since: its pixels belong to this wrapper alone, so <see cref="EditPixels"/> may
    /// change them.
    /// </summary>
    public bool HasPrivatePixels => _privatePixels;

    /// <summary>Called when an operation takes this image as input: from then on others may read its pixels.</summary>
    internal void MarkShared() => _privatePixels = false;

    internal VipsObjectHandle Handle => _handle.IsClosed ? throw new ObjectDisposedException(nameof(VipsImage)) : _handle;

    /// <summary>Container format the image was loaded from (Unknown for generated images).</summary>
    public ImageFormat SourceFormat { get; }

    public int Width => VipsNative.ImageGetWidth(Handle);

    public int Height => VipsNative.ImageGetHeight(Handle);

    public int Bands => VipsNative.ImageGetBands(Handle);

    public long PixelCount => (long)Width * Height;

    public BandFormat Format => (BandFormat)VipsNative.ImageGetFormat(Handle);

    public Interpretation Interpretation => (Interpretation)VipsNative.ImageGetInterpretation(Handle);

    public bool HasAlpha => VipsNative.ImageHasAlpha(Handle) != 0;

    /// <summary>
    /// The EXIF orientation tag (1-8) as read by the loader; 1 (upright) when the image has none.
    /// Values 2-8 mean the stored pixels must be rotated/flipped to display upright (see <see cref="Autorot"/>).
    /// </summary>
    public int Orientation => GetInt("orientation") ?? 1;

    /// <summary>An integer metadata field, or null if the image has no such field.</summary>
    public int? GetInt(string field)
    {
        if (VipsNative.ImageGetTypeof(Handle, field) == IntPtr.Zero)
        {
            return null;
        }

        return VipsNative.ImageGetInt(Handle, field, out var value) == 0 ? value : null;
    }

    /// <summary>
    /// Admits untrusted bytes: checks the signature and container structure (<see cref="ImageFormatDetector"/>),
    /// opens the matching libvips loader (only JPEG, PNG, WebP, HEIF; never chosen by file name) which reads
    /// the header only, then refuses images over <see cref="ImageLoadOptions.MaxPixels"/> before any pixel is
    /// decoded. Pixels decode lazily: call <see cref="Decode"/> to decode now and surface corrupt data as
    /// <see cref="CorruptImageException"/>.
    /// </summary>
    /// <exception cref="ImageFormatException">Unknown, disallowed, truncated, or polyglot container.</exception>
    /// <exception cref="PixelBudgetExceededException">Declared dimensions over the budget.</exception>
    /// <exception cref="CorruptImageException">The loader rejected the header.</exception>
    public static VipsImage LoadFromBuffer(ReadOnlySpan<byte> data, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        var format = Admit(data, options);
        var loader = LoaderName(format);

        VipsImage image;
        using (var call = new VipsCall(loader))
        {
            call.SetBlob("buffer", data);
            call.Set("fail-on", (int)options.FailOn);
            call.Set("access", (int)options.Access);
            call.Build(decodeFailure: true);
            image = call.GetImage(sourceFormat: format);
        }

        try
        {
            EnforceBudget(image, options.MaxPixels);
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads and downsizes in one step with libvips' thumbnail (shrink-on-load for JPEG/WebP/HEIF, so a 12 MP
    /// phone photo is never fully decoded) and applies the EXIF orientation. The same admission checks as
    /// <see cref="LoadFromBuffer"/> run first, on the header only.
    /// </summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="width">Target width (the longer side when <paramref name="height"/> is null fits a square box).</param>
    /// <param name="height">Target height; null means "same as width" (i.e. fit inside a width×width box).</param>
    /// <param name="size">Down (default) never enlarges.</param>
    /// <param name="options">Admission options.</param>
    public static VipsImage ThumbnailFromBuffer(ReadOnlySpan<byte> data, int width, int? height = null, ThumbnailSize size = ThumbnailSize.Down, ImageLoadOptions? options = null)
    {
        options ??= ImageLoadOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ImageFormat format;
        using (var probe = LoadFromBuffer(data, options with { Access = Access.Sequential }))
        {
            format = probe.SourceFormat;
        }

        using var call = new VipsCall("thumbnail_buffer");
        call.SetBlob("buffer", data);
        call.Set("width", width);
        call.Set("height", height ?? width);
        call.Set("size", (int)size);
        call.Set("fail-on", (int)options.FailOn);
        call.Build(decodeFailure: true);
        return call.GetImage(sourceFormat: format);
    }

    /// <summary>Wraps a copy of raw 8-bit band-interleaved pixels (1 band = grey, 3 = sRGB, 4 = sRGB + alpha).</summary>
    public static unsafe VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        if (pixels.Length != (long)width * height * bands)
        {
            throw new ArgumentException($"expected {width}x{height}x{bands} bytes, got {pixels.Length}", nameof(pixels));
        }

        VipsRuntime.EnsureInitialised();
        VipsImage raw;
        fixed (byte* p = pixels)
        {
            raw = Adopt(VipsNative.ImageNewFromMemoryCopy(p, (nuint)pixels.Length, width, height, bands, (int)BandFormat.UChar), "new_from_memory_copy");
        }

        // Raw memory carries no interpretation ("multiband"); say what the bands are so colour conversions
        // and alpha detection behave as for a decoded file.
        using (raw)
        {
            using var call = new VipsCall("copy");
            call.Set("in", raw);
            call.Set("interpretation", (int)(bands <= 2 ? Interpretation.BW : Interpretation.Srgb));
            call.Build();
            return call.GetImage();
        }
    }

    /// <summary>A matrix image (convolution mask) of doubles, row-major.</summary>
    public static unsafe VipsImage Matrix(int width, int height, ReadOnlySpan<double> values)
    {
        if (values.Length != width * height)
        {
            throw new ArgumentException($"expected {width * height} values", nameof(values));
        }

        VipsRuntime.EnsureInitialised();
        fixed (double* p = values)
        {
            return Adopt(VipsNative.ImageNewMatrixFromArray(width, height, p, values.Length), "new_matrix_from_array");
        }
    }

    /// <summary>An all-zero uchar image.</summary>
    public static VipsImage Black(int width, int height, int bands = 1)
    {
        using var call = new VipsCall("black");
        call.Set("width", width);
        call.Set("height", height);
        call.Set("bands", bands);
        call.Build();
        return call.GetImage();
    }

    /// <summary>
    /// Renders <paramref name="text"/> with Pango. The text is plain text: it is escaped, so user data
    /// (a registration number) can never inject Pango markup.
    /// </summary>
    public static VipsImage Text(string text, TextOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        options ??= new TextOptions();
        var markup = EscapeMarkup(text);
        if (options.Rgba)
        {
            var (r, g, b) = options.Colour;
            markup = $"<span foreground=\"#{r:X2}{g:X2}{b:X2}\">{markup}</span>";
        }

        using var call = new VipsCall("text");
        call.Set("text", markup);
        call.Set("font", options.Font);
        call.Set("dpi", options.Dpi);
        if (options.Width > 0)
        {
            call.Set("width", options.Width);
        }

        if (options.Rgba)
        {
            call.Set("rgba", true);
        }

        if (options.FontFile is not null)
        {
            call.Set("fontfile", options.FontFile);
        }

        call.Build();
        return call.GetImage();
    }

    /// <summary>
    /// Decodes all pixels into memory now. Later operations then read memory, and decode failures of a
    /// lazily loaded image (truncated or corrupt data) surface here as <see cref="CorruptImageException"/>.
    /// </summary>
    public VipsImage Decode()
    {
        var decoded = Adopt(VipsNative.ImageCopyMemory(Handle), "copy_memory", decodeFailure: true);

        // copy_memory returns another reference to this very image when it is already in memory; only a new
        // image is a private copy.
        decoded._privatePixels = decoded._handle.DangerousGetHandle() != _handle.DangerousGetHandle();

        // A tolerated decode (fail_on below Warning) still appends libvips' warnings to its global error
        // buffer. Drop them now, or they would pile up and be reported as the text of some later,
        // unrelated failure (and could fill the fixed-size buffer so real errors lose their text).
        VipsNative.ErrorClear();
        return decoded;
    }

    /// <summary>Rotates/flips upright according to the EXIF orientation and removes the tag.</summary>
    public VipsImage Autorot() => Unary("autorot");

    /// <summary>Mean of all pixels across all bands.</summary>
    public double Average() => UnaryDouble("avg");

    /// <summary>Standard deviation of all pixels across all bands.</summary>
    public double Deviation() => UnaryDouble("deviate");

    /// <summary>Per-band min, max, sum, sum of squares, mean and deviation in one pass.</summary>
    public ImageStatistics Statistics()
    {
        using var stats = Unary("stats");
        var values = MemoryMarshal.Cast<byte, double>(stats.ToPixelBytes());
        var columns = stats.Width; // 10: min, max, sum, sum2, mean, deviation, xmin, ymin, xmax, ymax
        var rows = new BandStatistics[stats.Height];
        for (var row = 0; row < rows.Length; row++)
        {
            var r = values.Slice(row * columns, columns);
            rows[row] = new BandStatistics(r[0], r[1], r[2], r[3], r[4], r[5]);
        }

        return new ImageStatistics(rows[0], rows[1..]);
    }

    /// <summary>Converts to another colour space, e.g. <see cref="Interpretation.Srgb"/> or <see cref="Interpretation.BW"/>.</summary>
    public VipsImage Colourspace(Interpretation space)
    {
        using var call = new VipsCall("colourspace");
        call.Set("in", this);
        call.Set("space", (int)space);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Convolves with a matrix image (see <see cref="Matrix"/>).</summary>
    public VipsImage Convolve(VipsImage mask, Precision precision = Precision.Float)
    {
        using var call = new VipsCall("conv");
        call.Set("in", this);
        call.Set("mask", mask);
        call.Set("precision", (int)precision);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Crops a rectangle.</summary>
    public VipsImage ExtractArea(int left, int top, int width, int height)
    {
        using var call = new VipsCall("extract_area");
        call.Set("input", this);
        call.Set("left", left);
        call.Set("top", top);
        call.Set("width", width);
        call.Set("height", height);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Selects <paramref name="count"/> bands starting at <paramref name="band"/>.</summary>
    public VipsImage ExtractBand(int band, int count = 1)
    {
        using var call = new VipsCall("extract_band");
        call.Set("in", this);
        call.Set("band", band);
        call.Set("n", count);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Resamples by <paramref name="scale"/> (below 1 shrinks).</summary>
    public VipsImage Resize(double scale, Kernel kernel = Kernel.Lanczos3)
    {
        using var call = new VipsCall("resize");
        call.Set("in", this);
        call.Set("scale", scale);
        call.Set("kernel", (int)kernel);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Fits inside width × height (keeping the aspect ratio unless cropping).</summary>
    public VipsImage Thumbnail(int width, int height, ThumbnailSize size = ThumbnailSize.Down, Interesting crop = Interesting.None)
    {
        using var call = new VipsCall("thumbnail_image");
        call.Set("in", this);
        call.Set("width", width);
        call.Set("height", height);
        call.Set("size", (int)size);
        call.Set("crop", (int)crop);
        call.Build();
        return call.GetImage();
    }

    /// <summary>out = in × a + b, for every band.</summary>
    public VipsImage Linear(double multiply, double add, bool toUChar = false) =>
        Linear([multiply], [add], toUChar);

    /// <summary>
    /// out = in × a + b per band. A one-band input with n-element arrays produces an n-band image, which
    /// is how a coverage mask becomes a coloured layer.
    /// </summary>
    public VipsImage Linear(ReadOnlySpan<double> multiply, ReadOnlySpan<double> add, bool toUChar = false)
    {
        using var call = new VipsCall("linear");
        call.Set("in", this);
        call.Set("a", multiply);
        call.Set("b", add);
        if (toUChar)
        {
            call.Set("uchar", true);
        }

        call.Build();
        return call.GetImage();
    }

    /// <summary>Converts the band format (values are clipped, not scaled).</summary>
    public VipsImage Cast(BandFormat format)
    {
        using var call = new VipsCall("cast");
        call.Set("in", this);
        call.Set("format", (int)format);
        call.Build();
        return call.GetImage();
    }

    /// <summary>
    /// Linear combination of bands: each output band is a row of the <paramref name="matrix"/> image times the
    /// input bands (e.g. a 3×1 matrix of luma weights turns sRGB into grey without a colour-space round trip).
    /// </summary>
    public VipsImage Recomb(VipsImage matrix)
    {
        using var call = new VipsCall("recomb");
        call.Set("in", this);
        call.Set("m", matrix);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Appends the bands of <paramref name="others"/> to this image's bands.</summary>
    public VipsImage Bandjoin(params ReadOnlySpan<VipsImage> others)
    {
        var all = new VipsImage[others.Length + 1];
        all[0] = this;
        others.CopyTo(all.AsSpan(1));
        using var call = new VipsCall("bandjoin");
        call.Set("in", (ReadOnlySpan<VipsImage>)all);
        call.Build();
        return call.GetImage();
    }

    /// <summary>
    /// Per pixel, picks <paramref name="then"/> where this (condition) image is non-zero, else
    /// <paramref name="otherwise"/>; with <paramref name="blend"/>, mixes them by the condition's value
    /// (255 = then, 0 = otherwise) in 8-bit arithmetic — a cheap alpha blend for a one-band mask.
    /// </summary>
    public VipsImage IfThenElse(VipsImage then, VipsImage otherwise, bool blend = false)
    {
        using var call = new VipsCall("ifthenelse");
        call.Set("cond", this);
        call.Set("in1", then);
        call.Set("in2", otherwise);
        if (blend)
        {
            call.Set("blend", true);
        }

        call.Build();
        return call.GetImage();
    }

    /// <summary>Pixel-wise product with another image (a one-band image multiplies every band).</summary>
    public VipsImage Multiply(VipsImage right)
    {
        using var call = new VipsCall("multiply");
        call.Set("left", this);
        call.Set("right", right);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Block-average shrink by integer factors (each output pixel is the mean of a block).</summary>
    public VipsImage Shrink(int horizontal, int vertical)
    {
        using var call = new VipsCall("shrink");
        call.Set("in", this);
        call.Set("hshrink", (double)horizontal);
        call.Set("vshrink", (double)vertical);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Gaussian blur.</summary>
    public VipsImage GaussianBlur(double sigma)
    {
        using var call = new VipsCall("gaussblur");
        call.Set("in", this);
        call.Set("sigma", sigma);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Places the image at (x, y) in a width × height canvas.</summary>
    public VipsImage Embed(int x, int y, int width, int height, Extend extend = Extend.Black, ReadOnlySpan<double> background = default)
    {
        using var call = new VipsCall("embed");
        call.Set("in", this);
        call.Set("x", x);
        call.Set("y", y);
        call.Set("width", width);
        call.Set("height", height);
        call.Set("extend", (int)extend);
        if (!background.IsEmpty)
        {
            call.Set("background", background);
        }

        call.Build();
        return call.GetImage();
    }

    /// <summary>Tiles the image across × down times.</summary>
    public VipsImage Replicate(int across, int down)
    {
        using var call = new VipsCall("replicate");
        call.Set("in", this);
        call.Set("across", across);
        call.Set("down", down);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Joins <paramref name="other"/> to the right of (or, if <paramref name="vertical"/>, below) this image.</summary>
    public VipsImage Join(VipsImage other, bool vertical)
    {
        using var call = new VipsCall("join");
        call.Set("in1", this);
        call.Set("in2", other);
        call.Set("direction", vertical ? 1 : 0);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Alpha-composites <paramref name="overlay"/> over this image at (x, y). The result has an alpha band.</summary>
    public VipsImage Composite(VipsImage overlay, BlendMode mode = BlendMode.Over, int x = 0, int y = 0)
    {
        using var call = new VipsCall("composite2");
        call.Set("base", this);
        call.Set("overlay", overlay);
        call.Set("mode", (int)mode);
        if (x != 0)
        {
            call.Set("x", x);
        }

        if (y != 0)
        {
            call.Set("y", y);
        }

        call.Build();
        return call.GetImage();
    }

    /// <summary>Removes the alpha band by blending onto <paramref name="background"/> (default white).</summary>
    public VipsImage Flatten(ReadOnlySpan<double> background = default)
    {
        using var call = new VipsCall("flatten");
        call.Set("in", this);
        call.Set("background", background.IsEmpty ? [255.0, 255.0, 255.0] : background);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Rotates anticlockwise by any angle; new corners are transparent/black.</summary>
    public VipsImage Rotate(double angleDegrees)
    {
        using var call = new VipsCall("rotate");
        call.Set("in", this);
        call.Set("angle", angleDegrees);
        call.Build();
        return call.GetImage();
    }

    /// <summary>Encodes as JPEG.</summary>
    public byte[] ToJpeg(JpegSaveOptions? options = null)
    {
        options ??= new JpegSaveOptions();
        using var call = new VipsCall("jpegsave_buffer");
        call.Set("in", this);
        call.Set("Q", Math.Clamp(options.Quality, 1, 100));
        call.Set("strip", options.Strip);
        call.Set("optimize-coding", options.OptimizeCoding);
        call.Set("interlace", options.Interlace);
        if (options.NoSubsample)
        {
            call.Set("no-subsample", true);
        }

        call.Build();
        return call.GetBlob();
    }

    /// <summary>Encodes as PNG.</summary>
    public byte[] ToPng(PngSaveOptions? options = null)
    {
        options ??= new PngSaveOptions();
        using var call = new VipsCall("pngsave_buffer");
        call.Set("in", this);
        call.Set("compression", Math.Clamp(options.Compression, 0, 9));
        call.Set("strip", options.Strip);
        call.Set("interlace", options.Interlace);
        call.Build();
        return call.GetBlob();
    }

    /// <summary>Encodes as lossy WebP.</summary>
    public byte[] ToWebp(int quality = 80)
    {
        using var call = new VipsCall("webpsave_buffer");
        call.Set("in", this);
        call.Set("Q", Math.Clamp(quality, 1, 100));
        call.Set("strip", true);
        call.Build();
        return call.GetBlob();
    }

    /// <summary>Encodes as HEIC (HEVC); needs libheif with an HEVC encoder.</summary>
    public byte[] ToHeif(int quality = 50)
    {
        using var call = new VipsCall("heifsave_buffer");
        call.Set("in", this);
        call.Set("Q", Math.Clamp(quality, 1, 100));
        call.Build();
        return call.GetBlob();
    }

    /// <summary>
    /// Calls <paramref name="reader"/> with the image's raw band-interleaved pixels (rows top to bottom, no
    /// padding) without copying them when the image is already in memory (e.g. after <see cref="Decode"/>);
    /// otherwise libvips first computes a memory copy, as <see cref="Decode"/> would. The span is valid only
    /// during the call and is read-only: other images may share the same pixels.
    /// </summary>
    /// <exception cref="CorruptImageException">Computing the pixels failed (e.g. a lazily decoded, damaged file).</exception>
    public unsafe TResult ReadPixels<TState, TResult>(TState state, PixelReader<TState, TResult> reader)
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(reader);

        // copy_memory only takes a reference when the pixels are already in memory, and leaves this image
        // untouched either way (vips_image_get_data on a lazy image would render into it in place, which is
        // not safe while other threads use the image).
        using var inMemory = Decode();
        var data = VipsNative.ImageGetData(inMemory.Handle);
        if (data == null)
        {
            throw new VipsException("image_get_data", VipsRuntime.TakeError());
        }

        var length = checked((long)inMemory.Width * inMemory.Height * inMemory.Bands * BytesPerSample(inMemory.Format));
        var result = reader(new ReadOnlySpan<byte>(data, checked((int)length)), state);
        GC.KeepAlive(inMemory);
        return result;
    }

    /// <summary>
    /// Calls <paramref name="editor"/> with the image's raw band-interleaved pixels to change them in place,
    /// without a copy. Only allowed while <see cref="HasPrivatePixels"/> is true (a fresh <see cref="Decode"/>
    /// result that no operation has used yet), so no other image can see the change; the caller must not use the
    /// image from another thread meanwhile. Saves the copy a reviewer copy would otherwise need.
    /// </summary>
    /// <exception cref="InvalidOperationException">The pixels are not private to this image.</exception>
    public unsafe TResult EditPixels<TState, TResult>(TState state, PixelEditor<TState, TResult> editor)
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(editor);
        if (!_privatePixels)
        {
            throw new InvalidOperationException(
                "EditPixels needs an image whose pixels are private to it: the result of Decode() that no operation has used as input yet.");
        }

        var data = VipsNative.ImageGetData(Handle);
        if (data == null)
        {
            throw new VipsException("image_get_data", VipsRuntime.TakeError());
        }

        var length = checked((long)Width * Height * Bands * BytesPerSample(Format));
        var result = editor(new Span<byte>(data, checked((int)length)), state);
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>Size in bytes of one band of one pixel.</summary>
    public static int BytesPerSample(BandFormat format) => format switch
    {
        BandFormat.UChar or BandFormat.Char => 1,
        BandFormat.UShort or BandFormat.Short => 2,
        BandFormat.UInt or BandFormat.Int or BandFormat.Float => 4,
        BandFormat.Complex or BandFormat.Double => 8,
        BandFormat.DpComplex => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown band format"),
    };

    /// <summary>Computes the image and copies its raw band-interleaved pixels.</summary>
    public unsafe byte[] ToPixelBytes()
    {
        var data = VipsNative.ImageWriteToMemory(Handle, out var size);
        if (data == null)
        {
            throw new VipsException("write_to_memory", VipsRuntime.TakeError());
        }

        try
        {
            return new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();
        }
        finally
        {
            GLibNative.Free(data);
        }
    }

    public void Dispose() => _handle.Dispose();

    public override string ToString() =>
        _handle.IsClosed ? "VipsImage (disposed)" : $"VipsImage {Width}x{Height}x{Bands} {Format} {Interpretation}";

    private VipsImage Unary(string operation)
    {
        using var call = new VipsCall(operation);
        call.Set("in", this);
        call.Build();
        return call.GetImage();
    }

    private double UnaryDouble(string operation)
    {
        using var call = new VipsCall(operation);
        call.Set("in", this);
        call.Build();
        return call.GetDouble();
    }

    private static VipsImage Adopt(nint reference, string operation, bool decodeFailure = false)
    {
        if (reference == IntPtr.Zero)
        {
            var error = VipsRuntime.TakeError();
            throw decodeFailure ? new CorruptImageException(operation, error) : new VipsException(operation, error);
        }

        return new VipsImage(VipsObjectHandle.Adopt(reference));
    }

    private static ImageFormat Admit(ReadOnlySpan<byte> data, ImageLoadOptions options)
    {
        var inspection = ImageFormatDetector.Inspect(data, options.AllowTrailingData);
        if (!inspection.IsAcceptable)
        {
            throw new ImageFormatException(inspection.Format, inspection.Problem, inspection.Detail);
        }

        if (options.AllowedFormats is { } allowed && !allowed.Contains(inspection.Format))
        {
            throw new ImageFormatException(inspection.Format, ImageFormatProblem.FormatNotAllowed, $"{inspection.Format} is not accepted here");
        }

        return inspection.Format;
    }

    private static string LoaderName(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpegload_buffer",
        ImageFormat.Png => "pngload_buffer",
        ImageFormat.WebP => "webpload_buffer",
        ImageFormat.Heif => "heifload_buffer",
        _ => throw new ImageFormatException(format, ImageFormatProblem.UnknownFormat, "no loader"),
    };

    private static void EnforceBudget(VipsImage image, long maxPixels)
    {
        var width = image.Width;
        var height = image.Height;
        if ((long)width * height > maxPixels)
        {
            throw new PixelBudgetExceededException(width, height, maxPixels);
        }
    }

    private static string EscapeMarkup(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    if (!char.IsControl(c))
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
