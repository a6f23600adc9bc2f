using ExamReview.Notification.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// The StandardWebhooks package as the oracle, one signature at a time: its 1.1.2 <c>Verify</c> stops before the last
/// signature of a space-separated list (with two, it checks only the first), so each signature of a rotation is handed
/// to it on its own. A receiver using that package sees the same: docs/provincial/webhooks.md warns about it.
/// </summary>
public static class StandardWebhooksOracle
{
    public static bool Verifies(string secret, string body, IHeaderDictionary headers)
    {
        var webhook = new StandardWebhook(secret);
        foreach (var signature in headers[WebhookSigner.SignatureHeader].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var single = new HeaderDictionary
            {
                [WebhookSigner.IdHeader] = headers[WebhookSigner.IdHeader],
                [WebhookSigner.TimestampHeader] = headers[WebhookSigner.TimestampHeader],
                [WebhookSigner.SignatureHeader] = signature,
            };
            try
            {
                webhook.Verify(body, single);
                return true;
            }
            catch (WebhookVerificationException)
            {
                // not this one; try the next signature
            }
        }
        return false;
    }
}
