using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ExamReview.ServiceDefaults.Auth;

namespace ExamReview.Registration.Domain.Printing;

/// <summary>What a verification code says once its HMAC checked out.</summary>
public sealed record SealedNotice(string RegistrationNumber, string Document);

/// <summary>
/// The verification code printed as a QR code on the registration system's documents:
/// <c>ERN1.&lt;registration number&gt;.&lt;document&gt;.&lt;HMAC&gt;</c>. The HMAC-SHA256 covers the registration number,
/// the document and the candidate's name and ID number, so a printout whose personal data was edited, or
/// one printed before a staff correction changed them, no longer verifies. Keys: derived (HKDF, own purpose)
/// from each of the platform's Auth:SigningKeys; the first signs, all verify, so keys rotate with them.
/// </summary>
public sealed class NoticeSeal
{
    public const string Prefix = "ERN1";
    private const string Purpose = "examreview/registration-notice-seal";
    private readonly IReadOnlyList<byte[]> _keys;

    public NoticeSeal(AuthOptions options)
    {
        _keys = options.SigningKeys
            .Select(k => HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(k), 32, salt: [], info: Encoding.UTF8.GetBytes(Purpose)))
            .ToList();
        if (_keys.Count == 0)
        {
            throw new InvalidOperationException("Printable notices need Auth:SigningKeys: no key to seal their verification codes with.");
        }
    }

    public string Code(CandidateRegistration registration, string document) =>
        $"{Prefix}.{registration.RegistrationNumber}.{document}.{Base64Url.EncodeToString(Mac(_keys[0], registration, document))}";

    /// <summary>The registration number and document a code names, before its MAC is checked (null if malformed).</summary>
    public static SealedNotice? Parse(string? code)
    {
        var parts = code?.Split('.') ?? [];
        return parts.Length == 4 && parts[0] == Prefix && parts[1].Length is > 0 and <= 32 && PrintableDocuments.Kinds.Contains(parts[2])
            ? new SealedNotice(parts[1], parts[2])
            : null;
    }

    /// <summary>True when the code's MAC matches this registration as it stands now (constant-time comparison).</summary>
    public bool Verify(string code, CandidateRegistration registration)
    {
        if (Parse(code) is not { } notice || notice.RegistrationNumber != registration.RegistrationNumber)
        {
            return false;
        }
        byte[] presented;
        try
        {
            presented = Base64Url.DecodeFromChars(code.AsSpan(code.LastIndexOf('.') + 1));
        }
        catch (FormatException)
        {
            return false;
        }
        return _keys.Any(key => CryptographicOperations.FixedTimeEquals(Mac(key, registration, notice.Document), presented));
    }

    private static byte[] Mac(byte[] key, CandidateRegistration registration, string document) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(
            string.Join('\n', Prefix, registration.RegistrationNumber, document, registration.FullName, registration.IdNumber)));
}
