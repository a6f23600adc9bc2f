using NetVips;

namespace ExamReview.Imaging;

/// <summary>
/// An image's pixels decoded into memory that this object owns: band-interleaved, rows top to bottom, no
/// padding. What NetVips does not offer: reading the pixels in place (the checks) and changing them in place
/// (the watermark blend) without a copy, then encoding them again (<see cref="ToImage"/>). The memory is
/// freed when this object and every image <see cref="ToImage"/> lent it to are gone, whichever comes last, so
/// disposing in any order is safe. Not thread-safe while pixels are being edited.
/// </summary>
public sealed unsafe class DecodedPixels : IDisposable
{
    private readonly nint _data;
    private readonly ulong _size;
    private int _references = 1; // this owner plus each lent image libvips still holds
    private int _disposed;

    private DecodedPixels(nint data, ulong size, int width, int height, int bands, Enums.BandFormat format, Enums.Interpretation interpretation, int orientation)
    {
        _data = data;
        _size = size;
        Width = width;
        Height = height;
        Bands = bands;
        Format = format;
        Interpretation = interpretation;
        Orientation = orientation;
    }

    public int Width { get; }

    public int Height { get; }

    public int Bands { get; }

    public Enums.BandFormat Format { get; }

    public Enums.Interpretation Interpretation { get; }

    /// <summary>The EXIF orientation (1-8) the source carried; 1 when it had none.</summary>
    public int Orientation { get; }

    /// <summary>
    /// True while no lent image can see the pixels, so <see cref="EditPixels"/> changes nothing anyone else reads.
    /// </summary>
    public bool HasPrivatePixels => Volatile.Read(ref _references) == 1 && _disposed == 0;

    /// <summary>The pixels, read-only (valid until this object is disposed).</summary>
    public ReadOnlySpan<byte> Pixels
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return new ReadOnlySpan<byte>((void*)_data, checked((int)_size));
        }
    }

    /// <summary>
    /// Renders <paramref name="image"/> into new memory (one pass: the decoder writes straight into it).
    /// Decode failures of lazily loaded, damaged files surface here.
    /// </summary>
    /// <exception cref="CorruptImageException">libvips could not compute the pixels.</exception>
    public static DecodedPixels From(Image image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var orientation = Orientation1To8(image);
        nint data;
        ulong size;
        try
        {
            data = image.WriteToMemory(out size);
        }
        catch (VipsException e)
        {
            throw new CorruptImageException("write_to_memory", e.Message.Trim(), e);
        }

        if (data == IntPtr.Zero)
        {
            throw new CorruptImageException("write_to_memory", "libvips returned no pixels");
        }

        return new DecodedPixels(data, size, image.Width, image.Height, image.Bands, image.Format, image.Interpretation, orientation);
    }

    /// <summary>
    /// Lets <paramref name="editor"/> change the pixels in place. Only while <see cref="HasPrivatePixels"/>:
    /// no image made by <see cref="ToImage"/> is alive to see the change.
    /// </summary>
    /// <exception cref="InvalidOperationException">An image lent by <see cref="ToImage"/> is still alive.</exception>
    public void EditPixels<TState>(TState state, PixelEditor<TState> editor)
        where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(editor);
        if (!HasPrivatePixels)
        {
            throw new InvalidOperationException("EditPixels needs pixels no lent image can see: dispose the images ToImage made first.");
        }

        editor(new Span<byte>((void*)_data, checked((int)_size)), state);
    }

    /// <summary>
    /// A libvips image over these pixels, without a copy (for encoding or further operations). The memory stays
    /// alive while libvips holds the image, even after this object is disposed.
    /// </summary>
    public Image ToImage()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        Interlocked.Increment(ref _references);
        Image? raw = null;
        try
        {
            raw = Image.NewFromMemory(_data, _size, Width, Height, Bands, Format);
            GcPressureHint.Clear(raw); // this memory is freed by Release, never by the collector
            raw.OnPostClose += Release;
            var described = raw.Copy(interpretation: Interpretation);
            if (Orientation == 1)
            {
                return described;
            }

            using (described)
            {
                return described.Mutate(m => m.Set(GValue.GIntType, "orientation", Orientation));
            }
        }
        catch
        {
            if (raw is null)
            {
                Release();
            }

            throw;
        }
        finally
        {
            raw?.Dispose(); // the copy holds its own reference to the memory image
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    public override string ToString() => $"DecodedPixels {Width}x{Height}x{Bands} {Format} {Interpretation}";

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            NetVips.NetVips.Free(_data);
        }
    }

    private static int Orientation1To8(Image image) =>
        image.Contains("orientation") && image.Get("orientation") is int o && o is >= 1 and <= 8 ? o : 1;
}

/// <summary>Changes raw pixels in place (see <see cref="DecodedPixels.EditPixels"/>).</summary>
public delegate void PixelEditor<in TState>(Span<byte> pixels, TState state)
    where TState : allows ref struct;
