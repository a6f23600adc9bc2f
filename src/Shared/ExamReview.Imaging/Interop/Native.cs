using System.Runtime.InteropServices;

namespace ExamReview.Imaging.Interop;

/// <summary>
/// GValue as laid out by GLib on 64-bit platforms: the GType (a gsize) followed by a two-word data union.
/// It must be zeroed before <c>g_value_init</c>, which is what <c>default</c> gives us.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nint GType;
    public long Data0;
    public long Data1;
}

/// <summary>
/// The head of a GParamSpec: we only read <c>value_type</c> to learn how to initialise a GValue for an
/// operation argument, which is what makes the generic operation API work without per-operation code.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GParamSpecHead
{
    public nint TypeInstance;
    public nint Name;
    public int Flags;
    public nint ValueType;
    public nint OwnerType;
}

/// <summary>Fundamental GTypes are fixed numbers (G_TYPE_MAKE_FUNDAMENTAL(n) = n &lt;&lt; 2).</summary>
internal static class FundamentalType
{
    public const nint Boolean = 5 << 2;
    public const nint Int = 6 << 2;
    public const nint Enum = 12 << 2;
    public const nint Flags = 13 << 2;
    public const nint Double = 15 << 2;
    public const nint String = 16 << 2;
    public const nint Boxed = 18 << 2;
    public const nint Object = 20 << 2;
}

/// <summary>
/// libvips entry points. Only fixed-argument functions: the C varargs helpers cannot be called portably
/// from .NET, so every operation goes through <c>vips_operation_new</c> + GObject properties.
/// </summary>
internal static unsafe partial class VipsNative
{
    private const string Lib = "libvips.so.42";

    [LibraryImport(Lib, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Init(string argv0);

    [LibraryImport(Lib, EntryPoint = "vips_version")]
    internal static partial int Version(int flag);

    [LibraryImport(Lib, EntryPoint = "vips_cache_set_max")]
    internal static partial void CacheSetMax(int max);

    [LibraryImport(Lib, EntryPoint = "vips_cache_set_max_mem")]
    internal static partial void CacheSetMaxMem(nuint maxMem);

    [LibraryImport(Lib, EntryPoint = "vips_cache_set_max_files")]
    internal static partial void CacheSetMaxFiles(int maxFiles);

    [LibraryImport(Lib, EntryPoint = "vips_concurrency_set")]
    internal static partial void ConcurrencySet(int concurrency);

    [LibraryImport(Lib, EntryPoint = "vips_block_untrusted_set")]
    internal static partial void BlockUntrustedSet(int state);

    [LibraryImport(Lib, EntryPoint = "vips_operation_block_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void OperationBlockSet(string name, int state);

    [LibraryImport(Lib, EntryPoint = "vips_error_buffer_copy")]
    internal static partial nint ErrorBufferCopy();

    [LibraryImport(Lib, EntryPoint = "vips_error_clear")]
    internal static partial void ErrorClear();

    [LibraryImport(Lib, EntryPoint = "vips_operation_new", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint OperationNew(string name);

    [LibraryImport(Lib, EntryPoint = "vips_cache_operation_build")]
    internal static partial nint CacheOperationBuild(nint operation);

    [LibraryImport(Lib, EntryPoint = "vips_object_unref_outputs")]
    internal static partial void ObjectUnrefOutputs(nint obj);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_width")]
    internal static partial int ImageGetWidth(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_height")]
    internal static partial int ImageGetHeight(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_bands")]
    internal static partial int ImageGetBands(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_format")]
    internal static partial int ImageGetFormat(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_interpretation")]
    internal static partial int ImageGetInterpretation(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_hasalpha")]
    internal static partial int ImageHasAlpha(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_typeof", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ImageGetTypeof(VipsObjectHandle image, string name);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_int", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ImageGetInt(VipsObjectHandle image, string name, out int value);

    [LibraryImport(Lib, EntryPoint = "vips_image_new_matrix_from_array")]
    internal static partial nint ImageNewMatrixFromArray(int width, int height, double* array, int size);

    [LibraryImport(Lib, EntryPoint = "vips_image_new_from_memory_copy")]
    internal static partial nint ImageNewFromMemoryCopy(void* data, nuint size, int width, int height, int bands, int format);

    [LibraryImport(Lib, EntryPoint = "vips_image_copy_memory")]
    internal static partial nint ImageCopyMemory(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_get_data")]
    internal static partial void* ImageGetData(VipsObjectHandle image);

    [LibraryImport(Lib, EntryPoint = "vips_image_write_to_memory")]
    internal static partial void* ImageWriteToMemory(VipsObjectHandle image, out nuint size);

    [LibraryImport(Lib, EntryPoint = "vips_value_set_blob_free")]
    internal static partial void ValueSetBlobFree(GValue* value, void* data, nuint length);

    [LibraryImport(Lib, EntryPoint = "vips_value_get_blob")]
    internal static partial void* ValueGetBlob(GValue* value, out nuint length);

    [LibraryImport(Lib, EntryPoint = "vips_value_set_array_double")]
    internal static partial void ValueSetArrayDouble(GValue* value, double* array, int n);

    [LibraryImport(Lib, EntryPoint = "vips_value_set_array_image")]
    internal static partial void ValueSetArrayImage(GValue* value, int n);

    [LibraryImport(Lib, EntryPoint = "vips_value_get_array_image")]
    internal static partial nint* ValueGetArrayImage(GValue* value, out int n);

    [LibraryImport(Lib, EntryPoint = "vips_enum_from_nick", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int EnumFromNick(string domain, nint type, string nick);

    [LibraryImport(Lib, EntryPoint = "vips_tracked_get_mem")]
    internal static partial nuint TrackedGetMem();

    [LibraryImport(Lib, EntryPoint = "vips_tracked_get_mem_highwater")]
    internal static partial nuint TrackedGetMemHighwater();

    [LibraryImport(Lib, EntryPoint = "vips_tracked_get_allocs")]
    internal static partial int TrackedGetAllocs();
}

internal static unsafe partial class GObjectNative
{
    private const string Lib = "libgobject-2.0.so.0";

    [LibraryImport(Lib, EntryPoint = "g_value_init")]
    internal static partial GValue* ValueInit(GValue* value, nint gtype);

    [LibraryImport(Lib, EntryPoint = "g_value_unset")]
    internal static partial void ValueUnset(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_value_set_boolean")]
    internal static partial void ValueSetBoolean(GValue* value, int v);

    [LibraryImport(Lib, EntryPoint = "g_value_get_boolean")]
    internal static partial int ValueGetBoolean(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_value_set_int")]
    internal static partial void ValueSetInt(GValue* value, int v);

    [LibraryImport(Lib, EntryPoint = "g_value_get_int")]
    internal static partial int ValueGetInt(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_value_set_double")]
    internal static partial void ValueSetDouble(GValue* value, double v);

    [LibraryImport(Lib, EntryPoint = "g_value_get_double")]
    internal static partial double ValueGetDouble(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_value_set_enum")]
    internal static partial void ValueSetEnum(GValue* value, int v);

    [LibraryImport(Lib, EntryPoint = "g_value_get_enum")]
    internal static partial int ValueGetEnum(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_value_set_flags")]
    internal static partial void ValueSetFlags(GValue* value, uint v);

    [LibraryImport(Lib, EntryPoint = "g_value_set_string", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void ValueSetString(GValue* value, string v);

    [LibraryImport(Lib, EntryPoint = "g_value_set_object")]
    internal static partial void ValueSetObject(GValue* value, nint obj);

    [LibraryImport(Lib, EntryPoint = "g_value_dup_object")]
    internal static partial nint ValueDupObject(GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_object_set_property", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void ObjectSetProperty(nint obj, string name, GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_object_get_property", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void ObjectGetProperty(nint obj, string name, GValue* value);

    [LibraryImport(Lib, EntryPoint = "g_object_class_find_property", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GParamSpecHead* ObjectClassFindProperty(nint objectClass, string name);

    [LibraryImport(Lib, EntryPoint = "g_object_ref")]
    internal static partial nint ObjectRef(nint obj);

    [LibraryImport(Lib, EntryPoint = "g_object_unref")]
    internal static partial void ObjectUnref(nint obj);

    [LibraryImport(Lib, EntryPoint = "g_type_fundamental")]
    internal static partial nint TypeFundamental(nint gtype);

    [LibraryImport(Lib, EntryPoint = "g_type_from_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint TypeFromName(string name);
}

internal static unsafe partial class GLibNative
{
    private const string Lib = "libglib-2.0.so.0";

    [LibraryImport(Lib, EntryPoint = "g_malloc")]
    internal static partial void* Malloc(nuint size);

    [LibraryImport(Lib, EntryPoint = "g_free")]
    internal static partial void Free(void* mem);
}
