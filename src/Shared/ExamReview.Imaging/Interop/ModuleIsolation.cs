using System.Runtime.InteropServices;

namespace ExamReview.Imaging.Interop;

/// <summary>
/// Keeps libvips from loading dynamic modules we do not want. vips_init loads every module in its
/// vips-modules-X.Y directory through GModule with global symbol binding; the openslide module pulls in the
/// system libsqlite3, whose exported sqlite3_* symbols then interpose on the SQLite bundled with EF Core
/// (libe_sqlite3 calls its own API through the PLT) and corrupt its heap in the same process. libvips finds
/// its modules under $VIPSHOME/lib, so before vips_init we point VIPSHOME at a private directory that links
/// only the modules we use: HEIF, for phone photos.
/// </summary>
internal static partial class ModuleIsolation
{
    private static readonly string[] WantedModules = ["vips-heif.so"];
    private static readonly string[] LibraryDirectories =
        ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"];

    public static void RestrictModules()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Marshal.PtrToStringUTF8(GetEnv("VIPSHOME"))))
        {
            return; // not Linux, or an operator chose the modules deliberately
        }
        var systemModules = LibraryDirectories
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateDirectories(dir, "vips-modules-*"))
            .FirstOrDefault();
        var home = Path.Combine(Path.GetTempPath(), "examreview-vips-home");
        if (systemModules is not null)
        {
            // libvips derives its libdir from VIPSHOME plus the last part of its configured libdir
            // (".../lib" or a multiarch ".../x86_64-linux-gnu"): link the modules under both.
            var libdirName = Path.GetFileName(Path.GetDirectoryName(systemModules)!);
            foreach (var parent in new[] { "lib", libdirName }.Distinct())
            {
                var moduleDirectory = Path.Combine(home, parent, Path.GetFileName(systemModules));
                Directory.CreateDirectory(moduleDirectory);
                foreach (var module in WantedModules)
                {
                    LinkModule(Path.Combine(systemModules, module), Path.Combine(moduleDirectory, module));
                }
            }
        }
        if (SetEnv("VIPSHOME", home, 1) != 0)
        {
            throw new InvalidOperationException("setenv(VIPSHOME) failed.");
        }
    }

    private static void LinkModule(string source, string link)
    {
        if (!File.Exists(source) || File.Exists(link))
        {
            return;
        }
        try
        {
            File.CreateSymbolicLink(link, source);
        }
        catch (IOException)
        {
            // another process created it first
        }
    }

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
