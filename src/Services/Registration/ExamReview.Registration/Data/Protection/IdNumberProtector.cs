using System.Security.Cryptography;
using System.Text;
using ExamReview.ServiceDefaults.Security;

namespace ExamReview.Registration.Data.Protection;

/// <summary>
/// Encrypts personal data at rest (the 身份证号 above all) and computes its blind index. Encryption is the shared
/// <see cref="ValueSealer"/> (AES-256-GCM, the key id stored with the value, so keys rotate: the current key encrypts,
/// every configured key decrypts). The blind index is HMAC-SHA256 of the normalised number under its own key, so
/// equality lookups use an index without decrypting rows and without the index revealing the number.
/// </summary>
public sealed class IdNumberProtector
{
    // The AAD prefix of every value: changing it makes every stored number unreadable.
    private const string Purpose = "examreview/registration-pii/";
    private readonly ValueSealer _sealer;
    private readonly byte[] _indexKey;

    public IdNumberProtector(IReadOnlyDictionary<string, byte[]> keys, string currentKeyId, byte[] indexKey)
    {
        ArgumentNullException.ThrowIfNull(indexKey);
        if (indexKey.Length < 32)
        {
            throw new InvalidOperationException("The ID number index key must be at least 32 bytes.");
        }
        _sealer = new ValueSealer(new ProtectionKeyRing(keys, currentKeyId), Purpose);
        _indexKey = indexKey;
        RetiredKeyIds = keys.Keys.Where(id => id != currentKeyId).Order(StringComparer.Ordinal).ToArray();
    }

    public string CurrentKeyId => _sealer.CurrentKeyId;

    /// <summary>The ring's keys that still open values but no longer seal them (kept until nothing is sealed under them).</summary>
    public IReadOnlyList<string> RetiredKeyIds { get; }

    /// <summary>How a stored value sealed under <paramref name="keyId"/> begins (the text form's key id and colon).</summary>
    public static string StoredPrefix(string keyId) => keyId + ":";

    /// <summary>Stored form: <c>&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>.</summary>
    public string Protect(string plaintext) => _sealer.Protect(plaintext);

    /// <summary>A value without a key id was written before encryption: returned as it is, encrypted when next written.</summary>
    public string Unprotect(string stored) => _sealer.Unprotect(stored);

    /// <summary>The blind index of an ID number: equal numbers (any case, surrounding spaces) give equal indexes.</summary>
    public string Index(string idNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(Normalise(idNumber))));

    /// <summary>
    /// The key of an ID number's sign-in throttle (<see cref="Accounts.IdNumberThrottle"/>): the same keyed hash as the
    /// blind index, over a purpose prefix, so the throttle table holds no number and its keys do not join to the
    /// registrations' index. A rotated index key starts every throttle afresh, which is harmless (a lock lasts minutes).
    /// </summary>
    public string ThrottleKey(string idNumber) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(ThrottlePurpose + Normalise(idNumber))));

    // An ID number never contains a colon, so no number's index input can equal a throttle key's.
    private const string ThrottlePurpose = "sign-in-throttle:";

    public static string Normalise(string idNumber) => idNumber.Trim().ToUpperInvariant();
}
