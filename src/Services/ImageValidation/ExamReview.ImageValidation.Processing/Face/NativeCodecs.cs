using System.Runtime.InteropServices;

namespace ExamReview.ImageValidation.Processing.Face;

/// <summary>
/// Keeps OpenCV's bundled image codecs away from everyone else's. The official OpenCvSharp runtime exports its
/// own statically linked libjpeg, libpng, libtiff, libwebp and openjpeg symbols (jpeg_* 86, png_* 388, TIFF*
/// 209, WebP* 115, opj_* 219) and links GTK, which needs the system's libjpeg.so.62 and friends. A system
/// codec library first loaded as part of that dependency group resolves its own internal calls against
/// OpenCV's copies (the group's lookup scope starts with libOpenCvSharpExtern): measured here, libvips then
/// crashed in OpenCV's jpeg_default_colorspace on its first JPEG save (LD_DEBUG=bindings: "binding file
/// libjpeg.so.62 to libOpenCvSharpExtern.so: jpeg_default_colorspace"). Loading the system codecs on their
/// own first gives each its own scope, so they bind to themselves whatever is loaded later.
/// Since the move to NetVips.Native, libvips carries its own codecs linked in (it needs only libc, libstdc++,
/// libm and libgcc_s) and never binds to either copy (LD_DEBUG=bindings): the crash above cannot recur there,
/// and the tests pass without this call. It stays as a guard for anything else in the process that uses the
/// system codecs (GTK's gdk-pixbuf, a system library added later): without it libjpeg.so.62 and libpng16.so.16
/// still bind to OpenCV's copies; with it they bind to themselves. It costs a few dlopen calls once.
/// </summary>
public static class NativeCodecs
{
    private static readonly string[] SystemCodecs =
    [
        "libjpeg.so.62", "libpng16.so.16", "libwebp.so.7", "libwebpmux.so.3", "libwebpdemux.so.2",
        "libtiff.so.6", "libopenjp2.so.7",
    ];

    private static readonly Lazy<bool> Loaded = new(() =>
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var name in SystemCodecs)
            {
                NativeLibrary.TryLoad(name, out _); // absent is fine: then nothing can bind to it wrongly
            }
        }

        return true;
    });

    /// <summary>Call before the first OpenCV call in the process (<see cref="FaceCheck"/>'s constructor does).</summary>
    public static void LoadBeforeOpenCv() => _ = Loaded.Value;
}
