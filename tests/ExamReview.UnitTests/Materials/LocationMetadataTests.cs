using System.Buffers.Binary;
using System.Text;
using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Privacy;
using ExamReview.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http;
using NetVips;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// Originals are stored without where the photo was taken (issue 15, item 2): the GPS IFD, XMP and IPTC go at byte
/// level, the orientation and the pixels stay, and the recorded hash is the hash of the stored bytes. libvips (libexif)
/// reads the files independently of the code under test.
/// </summary>
public sealed class LocationMetadataTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "examreview-gps-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_jpeg_loses_gps_xmp_and_iptc_and_keeps_orientation_other_exif_and_its_scan_data(bool littleEndian)
    {
        var upload = GpsPhotos.Jpeg(littleEndian);
        using (var before = Image.NewFromBuffer(upload))
        {
            // The test file really carries a location a reader finds.
            Assert.Contains(before.GetFields(), f => f.StartsWith("exif-ifd3-GPSLatitude", StringComparison.Ordinal));
            Assert.Contains("xmp-data", before.GetFields());
            Assert.Contains("iptc-data", before.GetFields());
        }

        var stored = LocationMetadata.Strip(upload, "image/jpeg");

        using var after = Image.NewFromBuffer(stored);
        Assert.DoesNotContain(after.GetFields(), f => f.StartsWith("exif-ifd3-", StringComparison.Ordinal));
        Assert.DoesNotContain("xmp-data", after.GetFields());
        Assert.DoesNotContain("iptc-data", after.GetFields());
        Assert.Equal(6, (int)after.Get("orientation"));
        Assert.StartsWith("TestCam", (string)after.Get("exif-ifd0-Make"));
        // The entry after the GPS pointer moved up a slot and still reads.
        Assert.Contains("exif-ifd0-PrintImageMatching", after.GetFields());
        Assert.DoesNotContain("GPSLatitude", Encoding.Latin1.GetString(stored));
        // Lossless: the scan data — every pixel — is the upload's, byte for byte.
        Assert.True(stored.AsSpan(GpsPhotos.ScanStart(stored)).SequenceEqual(upload.AsSpan(GpsPhotos.ScanStart(upload))));
        Assert.Equal(0.0, LargestDifference(upload, stored));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_png_loses_the_gps_of_its_exif_chunk_and_its_xmp_and_keeps_orientation(bool littleEndian)
    {
        var upload = GpsPhotos.Png(littleEndian);
        using (var before = Image.NewFromBuffer(upload))
        {
            Assert.Contains(before.GetFields(), f => f.StartsWith("exif-ifd3-GPSLatitude", StringComparison.Ordinal));
            Assert.Contains("xmp-data", before.GetFields());
        }

        var stored = LocationMetadata.Strip(upload, "image/png");

        using var after = Image.NewFromBuffer(stored);
        Assert.DoesNotContain(after.GetFields(), f => f.StartsWith("exif-ifd3-", StringComparison.Ordinal));
        Assert.DoesNotContain("xmp-data", after.GetFields());
        // The edited eXIf chunk's CRC is right, or the decoder would have dropped it and the orientation with it.
        Assert.Equal(6, (int)after.Get("orientation"));
        Assert.StartsWith("TestCam", (string)after.Get("exif-ifd0-Make"));
        Assert.DoesNotContain(XmpPositionText, Encoding.Latin1.GetString(stored));
        Assert.Equal(0.0, LargestDifference(upload, stored));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void In_the_exif_structure_the_gps_ifd_is_zeroed_and_the_entries_and_next_ifd_after_its_pointer_stay(bool littleEndian)
    {
        var tiff = GpsPhotos.Exif(littleEndian, withGps: true);
        var length = tiff.Length;

        Assert.Equal(ExifGps.Outcome.Removed, ExifGps.RemoveLocation(tiff));

        Assert.Equal(length, tiff.Length);
        ushort U16(int at) => littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(tiff.AsSpan(at));
        uint U32(int at) => littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(tiff.AsSpan(at));
        Assert.Equal(3, U16(8));
        Assert.Equal(new ushort[] { 0x010F, 0x0112, 0xC4A5 }, Enumerable.Range(0, 3).Select(i => U16(10 + (12 * i))));
        // The next-IFD offset moved up with the entries and still names IFD1 (one entry: Compression).
        var ifd1 = (int)U32(10 + 36);
        Assert.Equal(184, ifd1);
        Assert.Equal((1, 0x0103), (U16(ifd1), U16(ifd1 + 2)));
        // The freed slot (50..62) and the GPS IFD with its values (70..184, as GpsPhotos lays them out) are zeros; the
        // Make value between them (62..70) is untouched.
        Assert.All(tiff[50..62], b => Assert.Equal(0, b));
        Assert.All(tiff[70..ifd1], b => Assert.Equal(0, b));
        Assert.Equal("TestCam\0", Encoding.ASCII.GetString(tiff, 62, 8));
        Assert.Equal(ExifGps.Outcome.NoLocation, ExifGps.RemoveLocation(tiff));
    }

    [Fact]
    public void A_photo_without_location_is_stored_as_uploaded_and_stripping_is_stable()
    {
        var plain = GpsPhotos.RealJpeg("Portrait_3.jpg");
        Assert.Same(plain, LocationMetadata.Strip(plain, "image/jpeg"));

        var once = LocationMetadata.Strip(GpsPhotos.Jpeg(littleEndian: false), "image/jpeg");
        Assert.Same(once, LocationMetadata.Strip(once, "image/jpeg"));
        // The same upload always gives the same stored bytes, so equal uploads keep equal hashes.
        Assert.Equal(once, LocationMetadata.Strip(GpsPhotos.Jpeg(littleEndian: false), "image/jpeg"));
    }

    [Fact]
    public void A_second_picture_after_the_end_of_the_first_loses_its_gps_in_place()
    {
        // As phones append a depth or gain map (MPF): a whole second JPEG, with its own EXIF and GPS, after the EOI.
        var primary = GpsPhotos.Jpeg(littleEndian: false);
        var second = GpsPhotos.Jpeg(littleEndian: true);
        var upload = primary.Concat(second).ToArray();

        var stored = LocationMetadata.Strip(upload, "image/jpeg");

        var strippedPrimary = LocationMetadata.Strip(primary, "image/jpeg");
        Assert.True(stored.AsSpan().StartsWith(strippedPrimary));
        // The second picture keeps its length (the offsets that index it still hold) but no longer says where it was taken.
        var trailer = stored[strippedPrimary.Length..];
        Assert.Equal(second.Length, trailer.Length);
        using var secondPicture = Image.NewFromBuffer(trailer);
        Assert.DoesNotContain(secondPicture.GetFields(), f => f.StartsWith("exif-ifd3-", StringComparison.Ordinal));
        Assert.DoesNotContain(GpsPhotos.XmpPosition, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(6, (int)secondPicture.Get("orientation"));
        Assert.Equal(0.0, LargestDifference(second, trailer));
        Assert.Same(stored, LocationMetadata.Strip(stored, "image/jpeg"));
    }

    [Fact]
    public void An_exif_block_whose_gps_pointer_leaves_it_is_dropped_whole()
    {
        var upload = GpsPhotos.Jpeg(littleEndian: true, GpsPhotos.Exif(littleEndian: true, withGps: true, gpsOffsetOverride: 60_000));

        var stored = LocationMetadata.Strip(upload, "image/jpeg");

        Assert.DoesNotContain("Exif\0\0", Encoding.Latin1.GetString(stored));
        using var after = Image.NewFromBuffer(stored);
        Assert.DoesNotContain("exif-data", after.GetFields());
        Assert.True(stored.AsSpan(GpsPhotos.ScanStart(stored)).SequenceEqual(upload.AsSpan(GpsPhotos.ScanStart(upload))));
    }

    [Fact]
    public async Task An_upload_is_stored_without_its_location_under_the_hash_of_the_stored_bytes()
    {
        var upload = GpsPhotos.Jpeg(littleEndian: true);
        await using var body = new MemoryStream(upload);
        var file = new FormFile(body, 0, upload.Length, "file", "IMG_0001.jpg");
        var settings = new AreaSettings { AreaCode = "43", MaxImageBytes = 1024 * 1024 };
        var store = new FileSystemObjectStore(_root);
        var application = new MaterialApplication
        {
            Id = Guid.CreateVersion7(),
            CandidateId = Guid.NewGuid(),
            RegistrationNumber = "2027430000000001",
            ExamYear = 2027,
            AreaCode = "43",
            SiteCode = "4301",
            CreatedAt = DateTimeOffset.UtcNow,
        };

        var read = await UploadedFiles.ReadAsync(file, normalise: false, settings, normaliser: null!, CancellationToken.None);
        var image = await UploadedFiles.StoreAsync(application, "id-card", file.FileName, read, store, DateTimeOffset.UtcNow, CancellationToken.None);

        var object_ = await store.GetAsync(image.ObjectKey, CancellationToken.None);
        Assert.NotNull(object_);
        using var storedImage = Image.NewFromBuffer(object_.Content);
        Assert.DoesNotContain(storedImage.GetFields(), f => f.StartsWith("exif-ifd3-", StringComparison.Ordinal));
        Assert.Equal(6, (int)storedImage.Get("orientation"));
        Assert.Equal(ObjectKeys.Sha256Hex(object_.Content), image.Sha256);
        Assert.Equal(object_.Content.Length, image.Length);
        Assert.NotEqual(ObjectKeys.Sha256Hex(upload), image.Sha256);
    }

    /// <summary>The largest pixel difference between two files' decoded images (0: the same pixels).</summary>
    private static double LargestDifference(byte[] a, byte[] b)
    {
        using var first = Image.NewFromBuffer(a);
        using var second = Image.NewFromBuffer(b);
        using var difference = first - second;
        using var magnitude = difference.Abs();
        return magnitude.Max();
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private const string XmpPositionText = GpsPhotos.XmpPosition;
}
