using ExamReview.Contracts;
using ExamReview.Notification.Data.Protection;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Notification.Data;

/// <remarks>Created as its provider's subclass (<see cref="NotificationPostgreSqlDbContext"/>, <see cref="NotificationSqliteDbContext"/>), each with its own migrations.</remarks>
public class NotificationDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    /// <summary>The host's key ring for webhook secrets; null when created without the host (dotnet ef, the schema test), which only migrates.</summary>
    internal WebhookSecretProtector? Protector { get; } =
        options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(WebhookSecretProtector)) as WebhookSecretProtector;

    public DbSet<CandidateContact> Contacts => Set<CandidateContact>();
    public DbSet<AreaSender> AreaSenders => Set<AreaSender>();
    public DbSet<KnownArea> KnownAreas => Set<KnownArea>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<InAppMessage> InAppMessages => Set<InAppMessage>();
    public DbSet<SmsTemplate> SmsTemplates => Set<SmsTemplate>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookSecret> WebhookSecrets => Set<WebhookSecret>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    protected override void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
        base.AddOptions(optionsBuilder);
        optionsBuilder.ReplaceService<IModelCacheKeyFactory, ProtectedModelCacheKeyFactory>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new CandidateContactConfiguration());
        modelBuilder.ApplyConfiguration(new AreaSenderConfiguration());
        modelBuilder.ApplyConfiguration(new KnownAreaConfiguration());
        modelBuilder.ApplyConfiguration(new SmsMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InAppMessageConfiguration());
        modelBuilder.ApplyConfiguration(new SmsTemplateConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookEndpointConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookSecretConfiguration(new SealedKeyConverter(Protector)));
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookAttemptConfiguration());
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
        // Two changes of one candidate consumed at once: the later commit finds the version it decided from gone.
        builder.Property(x => x.ContactVersion).IsConcurrencyToken();
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
        builder.HasData(StartingPlaces.Areas.Select(a => new AreaSender { AreaCode = a.Code, SenderName = a.Name }));
    }
}

internal sealed class KnownAreaConfiguration : IEntityTypeConfiguration<KnownArea>
{
    public void Configure(EntityTypeBuilder<KnownArea> builder)
    {
        builder.ToTable("KnownAreas");
        builder.HasKey(x => x.Code);
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.Property(x => x.Name).HasMaxLength(100);
        // Registration's starting areas (StartingPlaces): seeded there, so never announced.
        builder.HasData(StartingPlaces.Areas.Select(a => new KnownArea { Code = a.Code, Name = a.Name }));
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
        // The built-in texts, for every area, until an operator loads an area's own. Literal here, not taken from
        // SmsTemplates.Kinds: seeded data changes only through a migration.
        builder.HasData(
            new SmsTemplate { AreaCode = SmsTemplate.AnyArea, Template = "review-returned", ProviderTemplateCode = "SMS_EXR0001", Body = "您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。" },
            new SmsTemplate { AreaCode = SmsTemplate.AnyArea, Template = "review-approved", ProviderTemplateCode = "SMS_EXR0002", Body = "您的医师资格考试报名材料已审核通过，请登陆报名网站查看。" },
            new SmsTemplate { AreaCode = SmsTemplate.AnyArea, Template = "review-rejected", ProviderTemplateCode = "SMS_EXR0003", Body = "您的医师资格考试报名材料审核未通过，请登陆报名网站查看审核意见。" },
            new SmsTemplate { AreaCode = SmsTemplate.AnyArea, Template = "review-deadline-reminder", ProviderTemplateCode = "SMS_EXR0004", Body = "您的医师资格考试报名材料尚有审核意见未处理，请于 ${deadline} 前登陆报名网站，访问报名材料上传页面，按要求修改后提交。" });
    }
}
