using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
namespace ExamReview.PassMarks;

/// <summary>Keys for the ID photo pass mark (configuration section <c>ImageValidation:PassMark</c>, read by the
/// photo tool that signs and by Registration that verifies).</summary>
public sealed record PassMarkOptions
{
    /// <summary>Key id that signs new marks.</summary>
    public string CurrentKeyId { get; set; } = string.Empty;

    /// <summary>Key id → base64 secret (≥ 32 bytes). Keep retired keys here so their marks still verify.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Marks older than this are refused; null (default) means marks do not expire.</summary>
    public TimeSpan? MaxAge { get; set; }
}

/// <summary>A pass-mark signing key.</summary>
public sealed class PassMarkKey
{
    public PassMarkKey(string id, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(id) || id.Length > PassMark.MaxKeyIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"key id must be 1-{PassMark.MaxKeyIdLength} ASCII letters, digits, '-', '_' or '.'", nameof(id));
        }

        if (secret.Length < 32)
        {
            throw new ArgumentException("a pass-mark secret must be at least 32 bytes (256 bits)", nameof(secret));
        }

        Id = id;
        Secret = secret.ToArray();
    }

    public string Id { get; }

    internal byte[] Secret { get; }
}

/// <summary>
/// Rotating keys: <see cref="Current"/> signs, every key in the ring verifies. Rotate by adding a new key,
/// making it current, and keeping the old one until marks signed with it no longer matter.
/// </summary>
public sealed class PassMarkKeyRing
{
    private readonly Dictionary<string, PassMarkKey> _keys;

    public PassMarkKeyRing(PassMarkKey current, IEnumerable<PassMarkKey>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        _keys = new Dictionary<string, PassMarkKey>(StringComparer.Ordinal) { [current.Id] = current };
        foreach (var key in previous ?? [])
        {
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"duplicate pass-mark key id '{key.Id}'", nameof(previous));
            }
        }
    }

    public PassMarkKey Current { get; }

    public bool TryGet(string keyId, out PassMarkKey key) => _keys.TryGetValue(keyId, out key!);

    /// <summary>Builds the ring from configuration (base64 secrets).</summary>
    public static PassMarkKeyRing FromOptions(PassMarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Keys.ContainsKey(options.CurrentKeyId))
        {
            throw new InvalidOperationException($"ImageValidation:PassMark: CurrentKeyId '{options.CurrentKeyId}' is not among the configured Keys");
        }

        var keys = options.Keys.Select(kv => new PassMarkKey(kv.Key, Convert.FromBase64String(kv.Value))).ToList();
        return new PassMarkKeyRing(keys.Single(k => k.Id == options.CurrentKeyId), keys.Where(k => k.Id != options.CurrentKeyId));
    }
}

/// <summary>Why a pass mark did not verify.</summary>
public enum PassMarkFailure
{
    None = 0,

    /// <summary>The bytes are not a well-formed JPEG header.</summary>
    NotJpeg,

    /// <summary>No pass-mark segment: never through the photo tool, or stripped (e.g. re-saved by an editor).</summary>
    Missing,

    /// <summary>A segment with our identifier that cannot be parsed, or more than one.</summary>
    Malformed,

    /// <summary>Signed with a key id this server does not (or no longer) hold.</summary>
    UnknownKey,

    /// <summary>The file changed after signing (any pixel, metadata or re-encode), or the mark was forged.</summary>
    MacMismatch,

    /// <summary>Older than <see cref="PassMarkOptions.MaxAge"/>.</summary>
    Expired,
}

/// <summary>Outcome of <see cref="PassMark.Verify"/>.</summary>
public sealed record PassMarkVerification(bool IsValid, PassMarkFailure Failure, string? KeyId, DateTimeOffset? SignedAt)
{
    internal static PassMarkVerification Fail(PassMarkFailure failure, string? keyId = null, DateTimeOffset? signedAt = null) =>
        new(false, failure, keyId, signedAt);
}

/// <summary>
/// The unforgeable "passed the photo tool" mark. An APP11 segment, inserted into the final JPEG, holding
/// <c>"EXAMREVIEW-PASS\0" | version | key id | signed-at | HMAC-SHA256</c>; the MAC covers the identifier,
/// version, key id and time, and every byte of the JPEG except the segment itself. So it verifies only for
/// the exact file the service produced, and only a holder of the server key can make one.
/// </summary>
public sealed class PassMark
{
    /// <summary>Longest key id (keeps the segment small and fixed-bounded).</summary>
    public const int MaxKeyIdLength = 32;

    /// <summary>Upper bound of the bytes <see cref="Sign"/> adds to a file.</summary>
    public const int MaxSegmentLength = 4 + 16 + 1 + 1 + MaxKeyIdLength + 8 + 32;

    private const byte Version = 1;
    private static readonly byte[] Identifier = "EXAMREVIEW-PASS\0"u8.ToArray();

    private readonly PassMarkKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _maxAge;

    public PassMark(PassMarkKeyRing keys, TimeProvider? time = null, TimeSpan? maxAge = null)
    {
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _time = time ?? TimeProvider.System;
        _maxAge = maxAge;
    }

    /// <summary>
    /// Returns <paramref name="jpeg"/> with a pass mark signed by the current key. An existing pass mark is
    /// replaced (re-signing after key rotation); nothing else in the file changes.
    /// </summary>
    /// <exception cref="JpegFormatException">The bytes are not a JPEG.</exception>
    public byte[] Sign(ReadOnlySpan<byte> jpeg)
    {
        var unsigned = jpeg.ToArray();
        while (FindMarks(unsigned) is [var existing, ..])
        {
            unsigned = JpegSegments.Remove(unsigned, existing);
        }

        var key = _keys.Current;
        var signedAt = _time.GetUtcNow().ToUnixTimeSeconds();
        var keyId = Encoding.ASCII.GetBytes(key.Id);

        var payload = new byte[Identifier.Length + 2 + keyId.Length + 8 + 32];
        var header = payload.AsSpan(0, payload.Length - 32);
        Identifier.CopyTo(header);
        header[Identifier.Length] = Version;
        header[Identifier.Length + 1] = (byte)keyId.Length;
        keyId.CopyTo(header[(Identifier.Length + 2)..]);
        BinaryPrimitives.WriteInt64BigEndian(header[^8..], signedAt);

        // Insert with a zero MAC first: the MAC binds the segment's position, known only after insertion.
        var signed = JpegSegments.Insert(unsigned, JpegSegments.App11, payload);
        var mark = FindMarks(signed)[0];
        var mac = signed.AsSpan(mark.Offset + mark.Length - 32, 32);
        ComputeMac(key.Secret, header, mark.Offset, signed.AsSpan(0, mark.Offset), signed.AsSpan(mark.Offset + mark.Length), mac);
        return signed;
    }

    /// <summary>Checks that <paramref name="jpeg"/> carries a valid mark and is byte-for-byte what was signed.</summary>
    public PassMarkVerification Verify(ReadOnlySpan<byte> jpeg)
    {
        IReadOnlyList<JpegSegment> marks;
        try
        {
            marks = FindMarks(jpeg);
        }
        catch (JpegFormatException)
        {
            return PassMarkVerification.Fail(PassMarkFailure.NotJpeg);
        }

        if (marks.Count == 0)
        {
            return PassMarkVerification.Fail(PassMarkFailure.Missing);
        }

        if (marks.Count > 1)
        {
            return PassMarkVerification.Fail(PassMarkFailure.Malformed);
        }

        var segment = marks[0];
        var payload = jpeg.Slice(segment.PayloadOffset, segment.PayloadLength);
        var minLength = Identifier.Length + 2 + 1 + 8 + 32;
        if (payload.Length < minLength || payload[Identifier.Length] != Version)
        {
            return PassMarkVerification.Fail(PassMarkFailure.Malformed);
        }

        var keyIdLength = payload[Identifier.Length + 1];
        if (keyIdLength is 0 or > MaxKeyIdLength || payload.Length != Identifier.Length + 2 + keyIdLength + 8 + 32)
        {
            return PassMarkVerification.Fail(PassMarkFailure.Malformed);
        }

        var keyIdBytes = payload.Slice(Identifier.Length + 2, keyIdLength);
        foreach (var b in keyIdBytes)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return PassMarkVerification.Fail(PassMarkFailure.Malformed);
            }
        }

        var keyId = Encoding.ASCII.GetString(keyIdBytes);
        var header = payload[..^32];
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(header[^8..]), 0, 253402300799));
        if (!_keys.TryGet(keyId, out var key))
        {
            return PassMarkVerification.Fail(PassMarkFailure.UnknownKey, keyId, signedAt);
        }

        Span<byte> expected = stackalloc byte[32];
        ComputeMac(key.Secret, header, segment.Offset, jpeg[..segment.Offset], jpeg[(segment.Offset + segment.Length)..], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, payload[^32..]))
        {
            return PassMarkVerification.Fail(PassMarkFailure.MacMismatch, keyId, signedAt);
        }

        if (_maxAge is { } maxAge && _time.GetUtcNow() - signedAt > maxAge)
        {
            return PassMarkVerification.Fail(PassMarkFailure.Expired, keyId, signedAt);
        }

        return new PassMarkVerification(true, PassMarkFailure.None, keyId, signedAt);
    }

    private static List<JpegSegment> FindMarks(ReadOnlySpan<byte> jpeg)
    {
        var marks = new List<JpegSegment>();
        foreach (var segment in JpegSegments.ReadHeader(jpeg))
        {
            if (segment.Marker == JpegSegments.App11 && jpeg.Slice(segment.PayloadOffset, segment.PayloadLength).StartsWith(Identifier))
            {
                marks.Add(segment);
            }
        }

        return marks;
    }

    /// <summary>
    /// HMAC over the mark header, the mark's offset and the file's length without the mark (so the segment
    /// cannot be moved and no bytes can shift across it), then the file without the mark.
    /// </summary>
    private static void ComputeMac(byte[] secret, ReadOnlySpan<byte> markHeader, int markOffset, ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(markHeader);
        Span<byte> framing = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(framing, markOffset);
        BinaryPrimitives.WriteInt64BigEndian(framing[8..], before.Length + (long)after.Length);
        hmac.AppendData(framing);
        hmac.AppendData(before);
        hmac.AppendData(after);
        hmac.GetHashAndReset(destination);
    }
}
