using ExamReview.Notification.Data.Protection;
using ExamReview.Notification.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Notification.Data;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("WebhookEndpoints");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.Url).HasMaxLength(WebhookUrls.MaxLength);
        builder.Property(x => x.Description).HasMaxLength(200);
        builder.Property(x => x.EventTypes).HasMaxLength(500);
        builder.Property(x => x.CreatedBy).HasMaxLength(200);
        builder.Ignore(x => x.EventTypeList);
        builder.HasIndex(x => x.AreaCode);
        builder.HasMany(x => x.Secrets).WithOne().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The key column holds the key sealed under the host's key ring (<see cref="SealedKeyConverter"/>), never the key itself.</summary>
internal sealed class WebhookSecretConfiguration(SealedKeyConverter sealedKey) : IEntityTypeConfiguration<WebhookSecret>
{
    private static readonly ArrayStructuralComparer<byte> KeyComparer = new();

    public void Configure(EntityTypeBuilder<WebhookSecret> builder)
    {
        builder.ToTable("WebhookSecrets");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        // Compared by content, not by reference: a key read back equal must not count as changed.
        builder.Property(x => x.Key).HasConversion(sealedKey, KeyComparer).HasMaxLength(128);
        builder.Ignore(x => x.Display);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.EventType).HasMaxLength(64);
        builder.Property(x => x.LastError).HasMaxLength(WebhookAttempt.MaxError);
        builder.Ignore(x => x.WebhookId);
        // One delivery per event and endpoint, whatever happens to the consumed message (the inbox also guards it).
        builder.HasIndex(x => new { x.SourceMessageId, x.EndpointId, x.EventType }).IsUnique();
        // The per-candidate order; two writers picking the same number collide here.
        builder.HasIndex(x => new { x.EndpointId, x.CandidateId, x.Sequence }).IsUnique();
        builder.HasIndex(x => new { x.Status, x.NextAttemptAt });
        builder.HasIndex(x => new { x.EndpointId, x.CreatedAt });
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(x => x.AttemptLog).WithOne().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("WebhookAttempts");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.Error).HasMaxLength(WebhookAttempt.MaxError);
        builder.HasIndex(x => new { x.DeliveryId, x.Number }).IsUnique();
    }
}
