using System.Security.Cryptography;

namespace ExamReview.AppHost;

internal static class Secrets
{
    /// <summary>A fresh 256-bit key, base64: the format Auth:SigningKeys and the pass-mark key ring take.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
