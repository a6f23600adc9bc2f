using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExamReview.Notification.Data.Protection;

/// <summary>
/// Seals a webhook signing key with the host's <see cref="WebhookSecretProtector"/> on write and opens it on read; a key
/// the ring cannot open reads as empty (<see cref="WebhookSecretProtector.OpenOrEmpty"/>), so one bad row does not make
/// its endpoint, or the dispatcher's batch, fail to load.
/// </summary>
internal sealed class SealedKeyConverter(WebhookSecretProtector? protector)
    : ValueConverter<byte[], byte[]>(v => Required(protector).Seal(v), v => Required(protector).OpenOrEmpty(v))
{
    // A context built without the host (dotnet ef, the schema test) only migrates: it has no keys and must not need them.
    private static WebhookSecretProtector Required(WebhookSecretProtector? protector) =>
        protector ?? throw new InvalidOperationException("This NotificationDbContext was created without the host's WebhookSecretProtector: it cannot read or write webhook secrets.");
}

/// <summary>
/// The model embeds the converter and so the host's keys: one cached model per key ring, or two hosts in one process
/// (the tests) would share the first host's keys.
/// </summary>
internal sealed class ProtectedModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        (context.GetType(), (context as NotificationDbContext)?.Protector, designTime);
}
