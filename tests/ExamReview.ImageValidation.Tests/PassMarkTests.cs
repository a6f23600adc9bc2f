using System.Security.Cryptography;
using ExamReview.ImageValidation.Processing;
using ExamReview.Imaging;
using ExamReview.PassMarks;
using NetVips;
using Xunit;

namespace ExamReview.ImageValidation.Tests;

public class PassMarkTests
{
    private static readonly PassMarkKey K1 = new("2024-01", RandomNumberGenerator.GetBytes(32));
    private static readonly PassMarkKey K2 = new("2024-07", RandomNumberGenerator.GetBytes(32));

    private static byte[] Photo() => TestImages.PortraitJpeg(200, 290, TestImages.White, quality: 80);

    private static PassMark Mark(PassMarkKey current, params PassMarkKey[] previous) => new(new PassMarkKeyRing(current, previous));

    [Fact]
    public void Signed_photo_verifies_and_stays_a_valid_jpeg()
    {
        var jpeg = Photo();
        var signed = Mark(K1).Sign(jpeg);
        Assert.InRange(signed.Length - jpeg.Length, 1, PassMark.MaxSegmentLength);

        var result = Mark(K1).Verify(signed);
        Assert.True(result.IsValid);
        Assert.Equal(PassMarkFailure.None, result.Failure);
        Assert.Equal("2024-01", result.KeyId);
        Assert.InRange(result.SignedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        using var decoded = Image.NewFromBuffer(signed, failOn: Enums.FailOn.Warning);
        using var pixels = decoded.CopyMemory();
        using var original = Image.NewFromBuffer(jpeg);
        Assert.Equal(original.ToPixelBytes(), pixels.ToPixelBytes());
    }

    [Fact]
    public void Flipping_one_pixel_byte_breaks_the_mac()
    {
        var signed = Mark(K1).Sign(Photo());
        var tampered = (byte[])signed.Clone();
        var i = TestData.ScanDataOffset(signed) + 100;
        tampered[i] = (byte)(tampered[i] == 0x00 ? 0x01 : tampered[i] ^ 0x01);
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(K1).Verify(tampered).Failure);
    }

    [Fact]
    public void Changing_a_header_byte_breaks_the_mac()
    {
        var signed = Mark(K1).Sign(Photo());
        var dqt = JpegSegments.ReadHeader(signed).First(s => s.Marker == 0xDB);
        var tampered = (byte[])signed.Clone();
        tampered[dqt.PayloadOffset + 5] ^= 0x01;
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(K1).Verify(tampered).Failure);
    }

    [Fact]
    public void Re_encoding_drops_the_mark()
    {
        var signed = Mark(K1).Sign(Photo());
        using var image = Image.NewFromBuffer(signed);
        var reencoded = image.ToJpeg(95, strip: false);
        Assert.Equal(PassMarkFailure.Missing, Mark(K1).Verify(reencoded).Failure);
    }

    [Fact]
    public void Transplanting_the_mark_onto_a_re_encoded_or_other_file_fails()
    {
        var signed = Mark(K1).Sign(Photo());
        var mark = JpegSegments.ReadHeader(signed).Single(s => s.Marker == JpegSegments.App11);
        var payload = signed.AsSpan(mark.PayloadOffset, mark.PayloadLength).ToArray();

        using var image = Image.NewFromBuffer(signed);
        var reencoded = image.ToJpeg(95);
        var transplanted = JpegSegments.Insert(reencoded, JpegSegments.App11, payload);
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(K1).Verify(transplanted).Failure);

        var other = JpegSegments.Insert(TestImages.PortraitJpeg(200, 290, TestImages.Grey), JpegSegments.App11, payload);
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(K1).Verify(other).Failure);
    }

    [Fact]
    public void Moving_the_mark_segment_fails()
    {
        var signed = Mark(K1).Sign(Photo());
        var header = JpegSegments.ReadHeader(signed);
        var mark = header.Single(s => s.Marker == JpegSegments.App11);
        var payload = signed.AsSpan(mark.PayloadOffset, mark.PayloadLength).ToArray();
        var without = JpegSegments.Remove(signed, mark);
        var dqt = JpegSegments.ReadHeader(without).First(s => s.Marker == 0xDB);
        byte[] moved = [.. without.AsSpan(0, dqt.Offset + dqt.Length), 0xFF, JpegSegments.App11, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2), .. payload, .. without.AsSpan(dqt.Offset + dqt.Length)];
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(K1).Verify(moved).Failure);
    }

    [Fact]
    public void Stripped_or_never_marked_photo_is_missing()
    {
        var signed = Mark(K1).Sign(Photo());
        var mark = JpegSegments.ReadHeader(signed).Single(s => s.Marker == JpegSegments.App11);
        Assert.Equal(PassMarkFailure.Missing, Mark(K1).Verify(JpegSegments.Remove(signed, mark)).Failure);
        Assert.Equal(PassMarkFailure.Missing, Mark(K1).Verify(Photo()).Failure);
    }

    [Fact]
    public void Wrong_secret_under_the_same_key_id_fails()
    {
        var signed = Mark(K1).Sign(Photo());
        var impostor = new PassMarkKey(K1.Id, RandomNumberGenerator.GetBytes(32));
        Assert.Equal(PassMarkFailure.MacMismatch, Mark(impostor).Verify(signed).Failure);
    }

    [Fact]
    public void Old_key_still_verifies_after_rotation_and_new_marks_use_the_new_key()
    {
        var signedBefore = Mark(K1).Sign(Photo());
        var rotated = Mark(K2, K1);

        var old = rotated.Verify(signedBefore);
        Assert.True(old.IsValid);
        Assert.Equal(K1.Id, old.KeyId);

        var signedAfter = rotated.Sign(Photo());
        Assert.Equal(K2.Id, rotated.Verify(signedAfter).KeyId);

        // Re-signing replaces the old mark rather than adding a second.
        var resigned = rotated.Sign(signedBefore);
        Assert.Single(JpegSegments.ReadHeader(resigned), s => s.Marker == JpegSegments.App11);
        Assert.Equal(K2.Id, rotated.Verify(resigned).KeyId);
    }

    [Fact]
    public void Retired_key_id_is_unknown()
    {
        var signed = Mark(K1).Sign(Photo());
        var result = Mark(K2).Verify(signed);
        Assert.False(result.IsValid);
        Assert.Equal(PassMarkFailure.UnknownKey, result.Failure);
        Assert.Equal(K1.Id, result.KeyId);
    }

    [Fact]
    public void Malformed_marks_and_non_jpeg_are_reported()
    {
        var signed = Mark(K1).Sign(Photo());
        var mark = JpegSegments.ReadHeader(signed).Single(s => s.Marker == JpegSegments.App11);
        var payload = signed.AsSpan(mark.PayloadOffset, mark.PayloadLength).ToArray();
        var without = JpegSegments.Remove(signed, mark);

        var shortened = JpegSegments.Insert(without, JpegSegments.App11, payload.AsSpan(0, 20));
        Assert.Equal(PassMarkFailure.Malformed, Mark(K1).Verify(shortened).Failure);

        var twice = JpegSegments.Insert(signed, JpegSegments.App11, payload);
        Assert.Equal(PassMarkFailure.Malformed, Mark(K1).Verify(twice).Failure);

        Assert.Equal(PassMarkFailure.NotJpeg, Mark(K1).Verify("not an image"u8).Failure);
        Assert.Equal(PassMarkFailure.NotJpeg, Mark(K1).Verify(signed.AsSpan(0, 30)).Failure);
    }

    [Fact]
    public void Marks_can_expire()
    {
        var clock = new FixedClock(DateTimeOffset.Parse("2025-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ring = new PassMarkKeyRing(K1);
        var signed = new PassMark(ring, clock).Sign(Photo());
        var verifier = new PassMark(ring, clock, TimeSpan.FromDays(180));
        Assert.True(verifier.Verify(signed).IsValid);
        clock.Now = clock.Now.AddDays(181);
        Assert.Equal(PassMarkFailure.Expired, verifier.Verify(signed).Failure);
    }

    [Fact]
    public void Keys_are_validated_and_built_from_options()
    {
        Assert.Throws<ArgumentException>(() => new PassMarkKey("k", new byte[16]));
        Assert.Throws<ArgumentException>(() => new PassMarkKey("bad id!", new byte[32]));
        var options = new PassMarkOptions
        {
            CurrentKeyId = "b",
            Keys = { ["a"] = Convert.ToBase64String(new byte[32]), ["b"] = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()) },
        };
        var ring = PassMarkKeyRing.FromOptions(options);
        Assert.Equal("b", ring.Current.Id);
        Assert.True(ring.TryGet("a", out _));
        Assert.Throws<InvalidOperationException>(() => PassMarkKeyRing.FromOptions(options with { CurrentKeyId = "c" }));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
