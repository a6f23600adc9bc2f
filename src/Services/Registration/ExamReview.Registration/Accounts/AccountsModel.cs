using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Registration.Accounts;

/// <summary>The accounts' tables in Registration's database (configured apart from the registration model).</summary>
public static class AccountsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new CandidateAccountConfiguration());
        modelBuilder.ApplyConfiguration(new CandidateSessionConfiguration());
        modelBuilder.ApplyConfiguration(new AccountAuditEntryConfiguration());
        modelBuilder.ApplyConfiguration(new IdNumberThrottleConfiguration());
        modelBuilder.ApplyConfiguration(new IdNumberAttemptEntryConfiguration());
    }

    public static DbSet<CandidateAccount> Accounts(this DbContext db) => db.Set<CandidateAccount>();
    public static DbSet<CandidateSession> CandidateSessions(this DbContext db) => db.Set<CandidateSession>();
    public static DbSet<AccountAuditEntry> AccountAudit(this DbContext db) => db.Set<AccountAuditEntry>();
    public static DbSet<IdNumberThrottle> IdNumberThrottles(this DbContext db) => db.Set<IdNumberThrottle>();
    public static DbSet<IdNumberAttemptEntry> IdNumberAttempts(this DbContext db) => db.Set<IdNumberAttemptEntry>();
}

internal sealed class CandidateAccountConfiguration : IEntityTypeConfiguration<CandidateAccount>
{
    public void Configure(EntityTypeBuilder<CandidateAccount> builder)
    {
        builder.ToTable("CandidateAccounts");
        builder.HasKey(x => x.CandidateId); // one account per candidate: racing activations conflict on the key
        builder.Property(x => x.CandidateId).ValueGeneratedNever();
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.PasswordHash).HasMaxLength(256);
        builder.Property(x => x.ChallengePurpose).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.ChallengeSalt).HasMaxLength(64);
        builder.Property(x => x.ChallengeCodeHash).HasMaxLength(64);
        builder.HasIndex(x => x.ChallengeId).IsUnique();
        builder.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class CandidateSessionConfiguration : IEntityTypeConfiguration<CandidateSession>
{
    public void Configure(EntityTypeBuilder<CandidateSession> builder)
    {
        builder.ToTable("CandidateSessions");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.CandidateId, x.ExpiresAt });
        builder.Property(x => x.Via).HasMaxLength(32);
    }
}

internal sealed class AccountAuditEntryConfiguration : IEntityTypeConfiguration<AccountAuditEntry>
{
    public void Configure(EntityTypeBuilder<AccountAuditEntry> builder)
    {
        builder.ToTable("AccountAuditLog");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.CandidateId, x.At });
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.Detail).HasMaxLength(300);
        builder.Property(x => x.ClientAddress).HasMaxLength(64);
    }
}

internal sealed class IdNumberThrottleConfiguration : IEntityTypeConfiguration<IdNumberThrottle>
{
    public void Configure(EntityTypeBuilder<IdNumberThrottle> builder)
    {
        builder.ToTable("IdNumberThrottles");
        builder.HasKey(x => x.Key); // one row per number: two racing first attempts conflict on the key
        builder.Property(x => x.Key).HasMaxLength(64).ValueGeneratedNever(); // hex HMAC-SHA256, never the number
        builder.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class IdNumberAttemptEntryConfiguration : IEntityTypeConfiguration<IdNumberAttemptEntry>
{
    // The account audit log's shape (AccountAuditEntryConfiguration), with the throttle's key for the candidate: a row
    // here costs what a row there costs.
    public void Configure(EntityTypeBuilder<IdNumberAttemptEntry> builder)
    {
        builder.ToTable("IdNumberAttemptLog");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.ThrottleKey).HasMaxLength(64);
        builder.HasIndex(x => new { x.ThrottleKey, x.At });
        builder.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(x => x.Detail).HasMaxLength(300);
        builder.Property(x => x.ClientAddress).HasMaxLength(64);
    }
}
