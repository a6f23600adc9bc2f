using ExamReview.Imaging;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>
/// libvips must not drag the system libsqlite3 into our processes (its openslide module does): its global
/// sqlite3_* symbols would interpose on EF Core's bundled SQLite and corrupt it. HEIF must still load.
/// </summary>
public sealed class ModuleIsolationTests
{
    [Fact]
    public void Initialising_libvips_loads_the_heif_module_but_not_openslide_or_the_system_sqlite()
    {
        VipsRuntime.Initialise();
        using var image = VipsImage.Black(64, 64, 3);
        var heif = image.ToHeif(50); // throws if the HEIF module was not loaded

        Assert.NotEmpty(heif);
        var mapped = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "").ToHashSet();
        Assert.DoesNotContain(mapped, path => path.Contains("libsqlite3.so", StringComparison.Ordinal));
        Assert.DoesNotContain(mapped, path => path.Contains("vips-openslide", StringComparison.Ordinal));
        Assert.Contains(mapped, path => path.EndsWith("vips-heif.so", StringComparison.Ordinal));
    }
}
