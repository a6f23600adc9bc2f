using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// Encrypts values at rest (AES-256-GCM) under a <see cref="ProtectionKeyRing"/>: the current key seals, every key of
/// the ring opens, and the key's id travels with the value, so keys rotate without rewriting everything at once. The
/// purpose and the key id are authenticated (the AAD): a value sealed for one purpose or under one key id cannot be
/// passed off as another's.
/// </summary>
public sealed class ValueSealer
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const byte BinaryFormat = 1;
    private readonly ProtectionKeyRing _ring;
    private readonly string _purpose;

    /// <param name="ring">The keys.</param>
    /// <param name="purpose">What the values are ("examreview/registration-pii/"); part of every value's AAD.</param>
    public ValueSealer(ProtectionKeyRing ring, string purpose)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        _ring = ring;
        _purpose = purpose;
    }

    public string CurrentKeyId => _ring.CurrentKeyId;

    /// <summary>Text form: <c>&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>.</summary>
    public string Protect(string plaintext)
    {
        var id = _ring.CurrentKeyId;
        return $"{id}:{Base64Url.EncodeToString(Encrypt(id, Encoding.UTF8.GetBytes(plaintext)))}";
    }

    /// <summary>
    /// Opens <see cref="Protect"/>'s text form. A value without a key id was written before encryption and is returned as
    /// it is (encrypted when next written).
    /// </summary>
    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return stored;
        }
        if (colon == 0)
        {
            throw new CryptographicException("The stored value carries an empty key id.");
        }
        return Encoding.UTF8.GetString(Decrypt(stored[..colon], Base64Url.DecodeFromChars(stored.AsSpan(colon + 1))));
    }

    /// <summary>Binary form: <c>1 | key id length | key id | nonce | ciphertext | tag</c>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var id = Encoding.UTF8.GetBytes(_ring.CurrentKeyId);
        if (id.Length > byte.MaxValue)
        {
            throw new InvalidOperationException($"The key id '{_ring.CurrentKeyId}' is longer than {byte.MaxValue} bytes: too long for the binary form.");
        }
        var sealedBytes = Encrypt(_ring.CurrentKeyId, plaintext);
        var result = new byte[2 + id.Length + sealedBytes.Length];
        result[0] = BinaryFormat;
        result[1] = (byte)id.Length;
        id.CopyTo(result, 2);
        sealedBytes.CopyTo(result, 2 + id.Length);
        return result;
    }

    /// <summary>Opens <see cref="Seal"/>'s binary form; throws <see cref="CryptographicException"/> on anything else.</summary>
    public byte[] Open(ReadOnlySpan<byte> stored)
    {
        var keyId = SealedKeyId(stored) ?? throw new CryptographicException("The stored value is not a sealed value.");
        return Decrypt(keyId, stored[(2 + stored[1])..]);
    }

    /// <summary>The key id a binary value was sealed under, or null when it is not <see cref="Seal"/>'s form.</summary>
    public static string? SealedKeyId(ReadOnlySpan<byte> stored) =>
        stored.Length >= 3 && stored[0] == BinaryFormat && stored[1] > 0 && stored.Length >= 2 + stored[1] + NonceSize + TagSize
            ? Encoding.UTF8.GetString(stored.Slice(2, stored[1]))
            : null;

    private byte[] Encrypt(string keyId, ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_ring.Keys[keyId], TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), Aad(keyId));
        return sealedBytes;
    }

    private byte[] Decrypt(string keyId, ReadOnlySpan<byte> sealedBytes)
    {
        if (!_ring.Keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The stored value was encrypted under key '{keyId}', which is no longer configured.");
        }
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The stored value is too short to be a sealed value.");
        }
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, plain.Length), sealedBytes[(NonceSize + plain.Length)..], plain, Aad(keyId));
        return plain;
    }

    private byte[] Aad(string keyId) => Encoding.UTF8.GetBytes(_purpose + keyId);
}
