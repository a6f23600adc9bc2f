using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Encrypts personal data at rest (the 身份证号 above all) and computes its blind index.
/// Stored form: <c>&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>, AES-256-GCM. The key id travels with the
/// value, so keys rotate: the current key encrypts, every configured key decrypts, and rows written under an old key
/// read until it is removed. The blind index is HMAC-SHA256 of the normalised number under its own key, so equality
/// lookups use an index without decrypting rows and without the index revealing the number.
/// </summary>
public sealed class IdNumberProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly IReadOnlyDictionary<string, byte[]> _keys;
    private readonly string _currentKeyId;
    private readonly byte[] _indexKey;

    public IdNumberProtector(IReadOnlyDictionary<string, byte[]> keys, string currentKeyId, byte[] indexKey)
    {
        foreach (var (id, key) in keys)
        {
            if (id.Length == 0 || id.Contains(':', StringComparison.Ordinal) || key.Length != 32)
            {
                throw new InvalidOperationException($"ID number key '{id}' must have a name without ':' and be 32 bytes (base64 of a 256-bit key).");
            }
        }
        if (!keys.ContainsKey(currentKeyId))
        {
            throw new InvalidOperationException($"The current ID number key '{currentKeyId}' is not among the configured keys.");
        }
        if (indexKey.Length < 32)
        {
            throw new InvalidOperationException("The ID number index key must be at least 32 bytes.");
        }
        _keys = keys;
        _currentKeyId = currentKeyId;
        _indexKey = indexKey;
    }

    public string CurrentKeyId => _currentKeyId;

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_currentKeyId], TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Aad(_currentKeyId));
        return $"{_currentKeyId}:{Base64Url.EncodeToString(sealedBytes)}";
    }

    public string Unprotect(string stored)
    {
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return stored; // written before encryption was introduced (no key id): still readable, encrypted when next written
        }
        if (colon == 0)
        {
            throw new CryptographicException("The stored value carries an empty key id.");
        }
        var keyId = stored[..colon];
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The stored value was encrypted under key '{keyId}', which is no longer configured.");
        }
        var sealedBytes = Base64Url.DecodeFromChars(stored.AsSpan(colon + 1));
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The stored value is too short to be a sealed value.");
        }
        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), plain, Aad(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The blind index of an ID number: equal numbers (any case, surrounding spaces) give equal indexes.</summary>
    public string Index(string idNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(Normalise(idNumber))));

    public static string Normalise(string idNumber) => idNumber.Trim().ToUpperInvariant();

    // The key id is authenticated too: a value cannot be relabelled to another key.
    private static byte[] Aad(string keyId) => Encoding.UTF8.GetBytes("examreview/registration-pii/" + keyId);
}
