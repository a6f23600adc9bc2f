using System.Security.Cryptography;
using ExamReview.ServiceDefaults.Security;

namespace ExamReview.Notification.Data.Protection;

/// <summary>
/// Encrypts webhook signing keys at rest. The service must sign with them, so they cannot be hashed like a password;
/// a copy of the database (a backup, a replica, a support extract) without the key ring cannot forge a province's
/// events. Keys: <c>Notification:WebhookSecrets:Keys:&lt;id&gt;</c> and <c>:CurrentKeyId</c> (production); a key file
/// beside the embedded run's database, or keys derived from Auth:SigningKeys with a database server (development).
/// </summary>
public sealed class WebhookSecretProtector
{
    public const string Section = "Notification:WebhookSecrets";

    /// <summary>A signing key is 32 random bytes; a sealed one is longer, so a stored value of this length is a key written before encryption.</summary>
    public const int RawKeyLength = 32;

    // The AAD prefix of every sealed key: changing it makes every stored key unreadable.
    private const string Purpose = "examreview/notification-webhook-secret/";
    private readonly ValueSealer _sealer;

    public WebhookSecretProtector(ProtectionKeyRing ring) => _sealer = new ValueSealer(ring, Purpose);

    public string CurrentKeyId => _sealer.CurrentKeyId;

    public static WebhookSecretProtector Create(IServiceProvider services, string connectionName) =>
        new(ProtectionKeyRing.Load(services,
            new ProtectionKeySource(Section, connectionName, "notification-webhook-keys.json", "examreview/notification-webhook-secret")));

    public byte[] Seal(byte[] key) => _sealer.Seal(key);

    /// <summary>Opens a stored key; a raw key (written before encryption) is returned as it is and sealed by <see cref="WebhookSecretResealing"/>.</summary>
    public byte[] Open(byte[] stored) => stored.Length == RawKeyLength ? stored : _sealer.Open(stored);

    /// <summary>
    /// <see cref="Open"/>, or an empty key when the ring cannot open it (sealed under a key since removed, or altered).
    /// The entity then loads and its endpoint stays manageable — listed, rotated, deleted — while the key itself cannot
    /// sign (<see cref="Webhooks.WebhookSecret.CanSign"/>): the dispatcher records that on the delivery's attempt and
    /// the start-up re-sealing logs it.
    /// </summary>
    public byte[] OpenOrEmpty(byte[] stored)
    {
        try
        {
            return Open(stored);
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    /// <summary>Whether a stored value needs sealing again: a raw key, or one sealed under a key that is no longer current.</summary>
    public bool NeedsResealing(byte[] stored) =>
        stored.Length == RawKeyLength || ValueSealer.SealedKeyId(stored) != _sealer.CurrentKeyId;
}
