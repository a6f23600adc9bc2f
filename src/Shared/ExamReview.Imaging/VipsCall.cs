using ExamReview.Imaging.Interop;

namespace ExamReview.Imaging;

/// <summary>
/// One call of a libvips operation through the generic API:
/// <c>vips_operation_new</c> → set inputs as GObject properties → <c>vips_cache_operation_build</c> →
/// read outputs → <c>vips_object_unref_outputs</c> + <c>g_object_unref</c> (in <see cref="Dispose"/>).
/// Argument types come from the operation's own GParamSpecs, so one setter per managed type suffices.
/// Not thread-safe itself (a call is used by one thread); the images it touches may be shared.
/// </summary>
internal sealed unsafe class VipsCall : IDisposable
{
    private readonly string _name;
    private nint _operation;
    private bool _built;

    public VipsCall(string name)
    {
        VipsRuntime.EnsureInitialised();
        _name = name;
        _operation = VipsNative.OperationNew(name);
        if (_operation == IntPtr.Zero)
        {
            throw new VipsException(name, VipsRuntime.TakeError());
        }
    }

    public VipsCall Set(string name, VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var handle = image.Handle;
        image.MarkShared();
        var added = false;
        try
        {
            // The GValue takes its own GObject reference; the add-ref only keeps the wrapper from being
            // released underneath us until then.
            handle.DangerousAddRef(ref added);
            var gv = default(GValue);
            Init(&gv, name, FundamentalType.Object);
            GObjectNative.ValueSetObject(&gv, handle.DangerousGetHandle());
            SetAndUnset(name, &gv);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        return this;
    }

    /// <summary>Sets a VipsArrayImage argument; the array holds its own reference to each image.</summary>
    public VipsCall Set(string name, ReadOnlySpan<VipsImage> images)
    {
        var handles = new VipsObjectHandle[images.Length];
        var added = new bool[images.Length];
        try
        {
            for (var i = 0; i < images.Length; i++)
            {
                handles[i] = images[i].Handle;
                images[i].MarkShared();
                handles[i].DangerousAddRef(ref added[i]);
            }

            var gv = default(GValue);
            Init(&gv, name, FundamentalType.Boxed);
            VipsNative.ValueSetArrayImage(&gv, images.Length);
            var array = VipsNative.ValueGetArrayImage(&gv, out _);
            for (var i = 0; i < images.Length; i++)
            {
                array[i] = GObjectNative.ObjectRef(handles[i].DangerousGetHandle());
            }

            SetAndUnset(name, &gv);
        }
        finally
        {
            for (var i = 0; i < images.Length; i++)
            {
                if (added[i])
                {
                    handles[i].DangerousRelease();
                }
            }
        }

        return this;
    }

    public VipsCall Set(string name, bool value)
    {
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Boolean);
        GObjectNative.ValueSetBoolean(&gv, value ? 1 : 0);
        SetAndUnset(name, &gv);
        return this;
    }

    public VipsCall Set(string name, int value)
    {
        var gv = default(GValue);
        var fundamental = Init(&gv, name, FundamentalType.Int, FundamentalType.Enum, FundamentalType.Flags);
        if (fundamental == FundamentalType.Enum)
        {
            GObjectNative.ValueSetEnum(&gv, value);
        }
        else if (fundamental == FundamentalType.Flags)
        {
            GObjectNative.ValueSetFlags(&gv, (uint)value);
        }
        else
        {
            GObjectNative.ValueSetInt(&gv, value);
        }

        SetAndUnset(name, &gv);
        return this;
    }

    public VipsCall Set(string name, double value)
    {
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Double);
        GObjectNative.ValueSetDouble(&gv, value);
        SetAndUnset(name, &gv);
        return this;
    }

    public VipsCall Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.String);
        GObjectNative.ValueSetString(&gv, value);
        SetAndUnset(name, &gv);
        return this;
    }

    /// <summary>Sets a VipsArrayDouble argument (background colours, linear coefficients).</summary>
    public VipsCall Set(string name, ReadOnlySpan<double> values)
    {
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Boxed);
        fixed (double* p = values)
        {
            VipsNative.ValueSetArrayDouble(&gv, p, values.Length);
        }

        SetAndUnset(name, &gv);
        return this;
    }

    /// <summary>
    /// Sets a VipsBlob argument. The bytes are copied into g_malloc memory whose ownership passes to the
    /// blob (freed by libvips with g_free when the last image using it goes), so no managed buffer stays
    /// pinned for the lifetime of a lazily decoded image.
    /// </summary>
    public VipsCall SetBlob(string name, ReadOnlySpan<byte> data)
    {
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Boxed);
        var length = (nuint)Math.Max(1, data.Length);
        var copy = GLibNative.Malloc(length);
        data.CopyTo(new Span<byte>(copy, data.Length));
        VipsNative.ValueSetBlobFree(&gv, copy, (nuint)data.Length);
        SetAndUnset(name, &gv);
        return this;
    }

    /// <summary>Runs the operation (or fetches an identical one from libvips' cache).</summary>
    public void Build(bool decodeFailure = false)
    {
        var built = VipsNative.CacheOperationBuild(_operation);
        if (built == IntPtr.Zero)
        {
            var error = VipsRuntime.TakeError();
            throw decodeFailure ? new CorruptImageException(_name, error) : new VipsException(_name, error);
        }

        // vips_cache_operation_build leaves the original's ref count unchanged and returns a new reference,
        // either to the same (now built) object or to a cached twin; drop ours on the original and keep
        // the built one. Its outputs are released in Dispose.
        GObjectNative.ObjectUnref(_operation);
        _operation = built;
        _built = true;
    }

    public VipsImage GetImage(string name = "out", ImageFormat sourceFormat = ImageFormat.Unknown)
    {
        EnsureBuilt();
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Object);
        GObjectNative.ObjectGetProperty(_operation, name, &gv);
        var reference = GObjectNative.ValueDupObject(&gv);
        GObjectNative.ValueUnset(&gv);
        if (reference == IntPtr.Zero)
        {
            throw new VipsException(_name, $"output '{name}' was not set");
        }

        return new VipsImage(VipsObjectHandle.Adopt(reference), sourceFormat);
    }

    public double GetDouble(string name = "out")
    {
        EnsureBuilt();
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Double);
        GObjectNative.ObjectGetProperty(_operation, name, &gv);
        var value = GObjectNative.ValueGetDouble(&gv);
        GObjectNative.ValueUnset(&gv);
        return value;
    }

    public int GetInt(string name)
    {
        EnsureBuilt();
        var gv = default(GValue);
        var fundamental = Init(&gv, name, FundamentalType.Int, FundamentalType.Enum);
        GObjectNative.ObjectGetProperty(_operation, name, &gv);
        var value = fundamental == FundamentalType.Enum ? GObjectNative.ValueGetEnum(&gv) : GObjectNative.ValueGetInt(&gv);
        GObjectNative.ValueUnset(&gv);
        return value;
    }

    public bool GetBool(string name)
    {
        EnsureBuilt();
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Boolean);
        GObjectNative.ObjectGetProperty(_operation, name, &gv);
        var value = GObjectNative.ValueGetBoolean(&gv) != 0;
        GObjectNative.ValueUnset(&gv);
        return value;
    }

    /// <summary>Copies a VipsBlob output (e.g. an encoded file) into a managed array.</summary>
    public byte[] GetBlob(string name = "buffer")
    {
        EnsureBuilt();
        var gv = default(GValue);
        Init(&gv, name, FundamentalType.Boxed);
        GObjectNative.ObjectGetProperty(_operation, name, &gv);
        try
        {
            var data = VipsNative.ValueGetBlob(&gv, out var length);
            if (data == null)
            {
                throw new VipsException(_name, $"output '{name}' was not set");
            }

            return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
        }
        finally
        {
            GObjectNative.ValueUnset(&gv);
        }
    }

    /// <summary>The numeric value libvips gives <paramref name="nick"/> for an enum argument (tests pin our enums to it).</summary>
    internal static int EnumValue(string operation, string argument, string nick)
    {
        using var call = new VipsCall(operation);
        var klass = *(nint*)call._operation;
        var spec = GObjectNative.ObjectClassFindProperty(klass, argument);
        if (spec == null)
        {
            throw new VipsException(operation, $"operation has no argument '{argument}'");
        }

        var value = VipsNative.EnumFromNick("ExamReview", spec->ValueType, nick);
        if (value < 0)
        {
            VipsNative.ErrorClear();
        }

        return value;
    }

    public void Dispose()
    {
        if (_operation != IntPtr.Zero)
        {
            // Outputs are referenced by the operation; the caller took its own references in Get*.
            VipsNative.ObjectUnrefOutputs(_operation);
            GObjectNative.ObjectUnref(_operation);
            _operation = IntPtr.Zero;
        }
    }

    private void EnsureBuilt()
    {
        if (!_built)
        {
            throw new InvalidOperationException("Build() the operation before reading outputs.");
        }
    }

    /// <summary>
    /// Initialises <paramref name="gv"/> with the argument's declared GType and checks the managed value
    /// fits it, so a typo in an argument name is an exception here instead of a GLib critical at runtime.
    /// </summary>
    private nint Init(GValue* gv, string name, params ReadOnlySpan<nint> acceptedFundamentals)
    {
        var klass = *(nint*)_operation; // GTypeInstance.g_class is the first field of every GObject
        var spec = GObjectNative.ObjectClassFindProperty(klass, name);
        if (spec == null)
        {
            throw new VipsException(_name, $"operation has no argument '{name}'");
        }

        var type = spec->ValueType;
        var fundamental = GObjectNative.TypeFundamental(type);
        var accepted = false;
        foreach (var f in acceptedFundamentals)
        {
            accepted |= f == fundamental;
        }

        if (!accepted)
        {
            throw new VipsException(_name, $"argument '{name}' has an unexpected type");
        }

        GObjectNative.ValueInit(gv, type);
        return fundamental;
    }

    private void SetAndUnset(string name, GValue* gv)
    {
        GObjectNative.ObjectSetProperty(_operation, name, gv);
        GObjectNative.ValueUnset(gv);
    }
}
