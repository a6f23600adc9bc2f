using ExamReview.Imaging;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

/// <summary>The real EXIF sample files: every orientation must come out upright and identical.</summary>
public class OrientationTests
{
    public static TheoryData<string, int> Files()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "Landscape", "Portrait" })
        {
            for (var i = 0; i <= 8; i++)
            {
                data.Add($"{kind}_{i}.jpg", i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Orientation_tag_is_read_and_autorot_makes_it_upright(string file, int tag)
    {
        var path = Path.Combine(TestData.ExifOrientationDir, file);
        Assert.True(File.Exists(path), $"missing test file {path}");
        var bytes = File.ReadAllBytes(path);
        var landscape = file.StartsWith("Landscape", StringComparison.Ordinal);

        using var loaded = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential);
        Assert.Equal(tag == 0 ? 1 : tag, loaded.Orientation());
        using var decoded = loaded.CopyMemory();
        using var upright = decoded.Autorot();
        Assert.Equal(landscape ? (1800, 1200) : (1200, 1800), (upright.Width, upright.Height));
        Assert.Equal(1, upright.Orientation());

        // Same picture as the untagged reference, not just the same size.
        var reference = File.ReadAllBytes(Path.Combine(TestData.ExifOrientationDir, landscape ? "Landscape_0.jpg" : "Portrait_0.jpg"));
        using var refImage = Image.NewFromBuffer(reference);
        using var refDecoded = refImage.CopyMemory();
        using var a = upright.Resize(0.125);
        using var b = refDecoded.Resize(0.125);
        Assert.True(TestData.MeanAbsDiff(a, b) < 4, $"{file} after autorot should match the upright reference");
    }

    [Fact]
    public void Unrotated_and_rotated_samples_differ_before_autorot()
    {
        // Guards the test above: the files really store rotated/flipped pixels.
        using var reference = Image.NewFromBuffer(File.ReadAllBytes(Path.Combine(TestData.ExifOrientationDir, "Landscape_0.jpg")));
        using var flipped = Image.NewFromBuffer(File.ReadAllBytes(Path.Combine(TestData.ExifOrientationDir, "Landscape_3.jpg")));
        using var a = reference.Resize(0.125);
        using var b = flipped.Resize(0.125);
        Assert.True(TestData.MeanAbsDiff(a, b) > 10);
    }
}
