using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExamReview.Notification.Webhooks;

/// <summary>
/// The Standard Webhooks signature: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), one per signing
/// secret, space-separated. Written here rather than taken from the StandardWebhooks package: signing with several
/// secrets at once (rotation) is not something that package does, the rule is a dozen lines over the BCL's HMAC, and
/// keeping the package out of production leaves it free to be the tests' independent oracle for these signatures.
/// </summary>
public static class WebhookSigner
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(string webhookId, DateTimeOffset timestamp, string body, IEnumerable<byte[]> keys)
    {
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{seconds}.{body}");
        return string.Join(' ', keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))));
    }

    public static string Timestamp(DateTimeOffset timestamp) => timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
