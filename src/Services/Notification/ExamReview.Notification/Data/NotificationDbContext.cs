using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Notification.Data;

/// <remarks>Created as its provider's subclass (<see cref="NotificationPostgreSqlDbContext"/>, <see cref="NotificationSqliteDbContext"/>), each with its own migrations.</remarks>
public class NotificationDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<CandidateContact> Contacts => Set<CandidateContact>();
    public DbSet<AreaSender> AreaSenders => Set<AreaSender>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<InAppMessage> InAppMessages => Set<InAppMessage>();
    public DbSet<SmsTemplate> SmsTemplates => Set<SmsTemplate>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new CandidateContactConfiguration());
        modelBuilder.ApplyConfiguration(new AreaSenderConfiguration());
        modelBuilder.ApplyConfiguration(new SmsMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InAppMessageConfiguration());
        modelBuilder.ApplyConfiguration(new SmsTemplateConfiguration());
    }
}

internal sealed class CandidateContactConfiguration : IEntityTypeConfiguration<CandidateContact>
{
    public void Configure(EntityTypeBuilder<CandidateContact> builder)
    {
        builder.ToTable("Contacts");
        builder.HasKey(x => x.CandidateId);
        builder.Property(x => x.CandidateId).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.MobileNumber).HasMaxLength(20);
    }
}

internal sealed class AreaSenderConfiguration : IEntityTypeConfiguration<AreaSender>
{
    public void Configure(EntityTypeBuilder<AreaSender> builder)
    {
        builder.ToTable("AreaSenders");
        builder.HasKey(x => x.AreaCode);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SenderName).HasMaxLength(64);
    }
}

internal sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> builder)
    {
        builder.ToTable("SmsMessages");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => new { x.SourceMessageId, x.Template }).IsUnique();
        builder.HasIndex(x => new { x.Status, x.CreatedAt });
        builder.HasIndex(x => x.CandidateId);
        builder.Property(x => x.Template).HasMaxLength(64);
        builder.Property(x => x.MobileNumber).HasMaxLength(20);
        builder.Property(x => x.Text).HasMaxLength(500);
        builder.Property(x => x.ProviderMessageId).HasMaxLength(128);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.Property(x => x.SignName).HasMaxLength(64);
        builder.Property(x => x.TemplateCode).HasMaxLength(64);
        builder.Property(x => x.TemplateParams).HasMaxLength(1000);
        builder.Property(x => x.OutId).HasMaxLength(64);
        builder.Property(x => x.DeliveryError).HasMaxLength(200);
        builder.Ignore(x => x.EffectiveOutId);
        builder.Ignore(x => x.EffectiveSignName);
        // Per-number rate limits count what was sent to a number recently.
        builder.HasIndex(x => new { x.MobileNumber, x.SentAt });
        builder.HasIndex(x => new { x.Delivery, x.NextReceiptCheckAt });
    }
}

internal sealed class InAppMessageConfiguration : IEntityTypeConfiguration<InAppMessage>
{
    public void Configure(EntityTypeBuilder<InAppMessage> builder)
    {
        builder.ToTable("InAppMessages");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => new { x.CandidateId, x.CreatedAt });
        builder.HasIndex(x => x.SourceMessageId).IsUnique();
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.Property(x => x.Body).HasMaxLength(4000);
        builder.Property(x => x.Kind).HasMaxLength(32);
        builder.HasIndex(x => new { x.CandidateId, x.ReadAt });
    }
}

internal sealed class SmsTemplateConfiguration : IEntityTypeConfiguration<SmsTemplate>
{
    public void Configure(EntityTypeBuilder<SmsTemplate> builder)
    {
        builder.ToTable("SmsTemplates");
        builder.HasKey(x => new { x.AreaCode, x.Template });
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.Template).HasMaxLength(64);
        builder.Property(x => x.ProviderTemplateCode).HasMaxLength(64);
        builder.Property(x => x.Body).HasMaxLength(500);
        builder.Property(x => x.UpdatedBy).HasMaxLength(200);
    }
}
