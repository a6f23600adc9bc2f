using System.Runtime.InteropServices;
using ExamReview.Imaging.Interop;

namespace ExamReview.Imaging;

/// <summary>
/// Owns one GObject reference. A SafeHandle (rather than a raw pointer) because the marshaller
/// add-refs it for the duration of every native call: a concurrent <see cref="IDisposable.Dispose"/>
/// can never free an image another thread is still reading, and the critical finaliser releases the
/// reference if a caller forgets to dispose.
/// </summary>
internal sealed class VipsObjectHandle : SafeHandle
{
    private static long s_live;

    public VipsObjectHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <summary>Takes over an existing reference (the caller must not unref it again).</summary>
    internal static VipsObjectHandle Adopt(nint reference)
    {
        var handle = new VipsObjectHandle();
        handle.SetHandle(reference);
        if (reference != IntPtr.Zero)
        {
            Interlocked.Increment(ref s_live);
        }

        return handle;
    }

    /// <summary>Number of GObject references currently owned by wrappers (diagnostics and leak tests).</summary>
    internal static long LiveCount => Interlocked.Read(ref s_live);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        GObjectNative.ObjectUnref(handle);
        Interlocked.Decrement(ref s_live);
        return true;
    }
}
