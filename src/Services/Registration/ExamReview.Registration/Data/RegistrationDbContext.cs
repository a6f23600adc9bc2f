using ExamReview.Contracts;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain;
using ExamReview.Registration.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Registration.Data;

/// <remarks>Created as its provider's subclass (<see cref="RegistrationPostgreSqlDbContext"/>, <see cref="RegistrationSqliteDbContext"/>), each with its own migrations.</remarks>
public class RegistrationDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    /// <summary>The blind index of the ID number (shadow column): lookups by number go through it, never through decryption.</summary>
    public const string IdNumberIndexColumn = "IdNumberIndex";

    /// <summary>The host's key ring; null when created without the host (dotnet ef, the schema test), which only migrates.</summary>
    internal IdNumberProtector? Protector { get; } =
        options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(IdNumberProtector)) as IdNumberProtector;

    public DbSet<CandidateRegistration> Registrations => Set<CandidateRegistration>();
    public DbSet<ExamYear> Years => Set<ExamYear>();
    public DbSet<ExamArea> Areas => Set<ExamArea>();
    public DbSet<ExamSite> Sites => Set<ExamSite>();
    public DbSet<RegistrationCorrection> Corrections => Set<RegistrationCorrection>();
    public DbSet<IdentityAccess> IdentityAccesses => Set<IdentityAccess>();
    public DbSet<IdNumberClaim> IdNumberClaims => Set<IdNumberClaim>();

    /// <summary>Registrations whose ID number equals <paramref name="idNumber"/> (any case), found by the blind index.</summary>
    public IQueryable<CandidateRegistration> RegistrationsWithIdNumber(string idNumber)
    {
        var index = RequiredProtector.Index(idNumber);
        return Registrations.Where(r => EF.Property<string?>(r, IdNumberIndexColumn) == index);
    }

    /// <summary>The blind index of <paramref name="idNumber"/> (see <see cref="IdNumberClaims"/>).</summary>
    internal string IdNumberIndexOf(string idNumber) => RequiredProtector.Index(idNumber);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        IndexIdNumbers();
        NextAccountVersions();
        RequireRegistrationVersionWithAccounts();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        IndexIdNumbers();
        NextAccountVersions();
        RequireRegistrationVersionWithAccounts();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
        base.AddOptions(optionsBuilder);
        optionsBuilder.ReplaceService<IModelCacheKeyFactory, ProtectedModelCacheKeyFactory>()
            .AddInterceptors(new ChangeFeedInterceptor(new RegistrationFeedProjection()));
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        var protectedString = new ProtectedStringConverter(Protector);
        modelBuilder.ApplyConfiguration(new CandidateRegistrationConfiguration(protectedString));
        modelBuilder.ApplyConfiguration(new RegistrationCorrectionConfiguration(protectedString));
        modelBuilder.ApplyConfiguration(new ExamYearConfiguration());
        modelBuilder.ApplyConfiguration(new ExamAreaConfiguration());
        modelBuilder.ApplyConfiguration(new ExamSiteConfiguration());
        modelBuilder.ApplyConfiguration(new IdentityAccessConfiguration());
        modelBuilder.ApplyConfiguration(new IdNumberClaimConfiguration());
        Accounts.AccountsModel.Configure(modelBuilder);
        modelBuilder.ApplyChangeFeed(IsSqlite).ApplyIdempotencyKeys();
    }

    private IdNumberProtector RequiredProtector => Protector
        ?? throw new InvalidOperationException("This RegistrationDbContext was created without the host's IdNumberProtector.");

    // Every write of an account moves its version on, and the update only applies where the version is still the one
    // read: of two racing attempts (wrong passwords sent in parallel to outrun the lock-out, a sign-in beside a password
    // change) one commits and the other is told the account is busy. A token that never moved would match every time.
    // An ID number's throttle row (no account) races the same way and moves on the same way.
    private void NextAccountVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Accounts.CandidateAccount>())
        {
            if (entry.State == EntityState.Modified)
            {
                var version = entry.Property(a => a.Version);
                version.CurrentValue = version.OriginalValue + 1;
            }
        }
        foreach (var entry in ChangeTracker.Entries<Accounts.IdNumberThrottle>())
        {
            if (entry.State == EntityState.Modified)
            {
                var version = entry.Property(t => t.Version);
                version.CurrentValue = version.OriginalValue + 1;
            }
        }
    }

    // A password account created or removed changes what a contact change of its registration must ask for, and the
    // contact change relies on the registration's version for it (CandidateRegistration.ActivateAccount): a save that
    // adds or deletes an account without moving that version would reopen the race silently, so it is refused here,
    // once, for every writer to come.
    private void RequireRegistrationVersionWithAccounts()
    {
        foreach (var entry in ChangeTracker.Entries<Accounts.CandidateAccount>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Deleted))
            {
                continue;
            }
            var candidateId = entry.Entity.CandidateId;
            var moved = ChangeTracker.Entries<CandidateRegistration>().Any(r =>
                r.Entity.CandidateId == candidateId && r.State == EntityState.Modified && r.Property(x => x.Version).IsModified);
            if (!moved)
            {
                throw new InvalidOperationException(
                    $"The account of candidate {candidateId} is {entry.State.ToString().ToLowerInvariant()} without its registration's version moving in the same save.");
            }
        }
    }

    // The index follows the number whenever it is written: at registration and at a staff correction.
    private void IndexIdNumbers()
    {
        ChangeTracker.DetectChanges();
        foreach (var entry in ChangeTracker.Entries<CandidateRegistration>())
        {
            if (entry.State == EntityState.Added || (entry.State == EntityState.Modified && entry.Property(r => r.IdNumber).IsModified))
            {
                entry.Property<string?>(IdNumberIndexColumn).CurrentValue = RequiredProtector.Index(entry.Entity.IdNumber);
            }
        }
    }
}

internal sealed class CandidateRegistrationConfiguration(ProtectedStringConverter protectedString) : IEntityTypeConfiguration<CandidateRegistration>
{
    public void Configure(EntityTypeBuilder<CandidateRegistration> builder)
    {
        builder.ToTable("Registrations");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => x.CandidateId).IsUnique();
        builder.HasIndex(x => x.RegistrationNumber).IsUnique();
        builder.HasIndex(x => new { x.AreaCode, x.SiteCode });
        builder.Property(x => x.RegistrationNumber).HasMaxLength(32);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SiteCode).HasMaxLength(16);
        builder.Property(x => x.ExamCategory).HasMaxLength(64);
        builder.Property(x => x.FullName).HasMaxLength(100);
        // Encrypted at rest (AES-GCM, key id in the value); found by its blind index, which is null only for rows written before it.
        builder.Property(x => x.IdNumber).HasMaxLength(128).HasConversion(protectedString);
        builder.Property<string?>(RegistrationDbContext.IdNumberIndexColumn).HasMaxLength(64);
        builder.HasIndex(RegistrationDbContext.IdNumberIndexColumn);
        builder.Property(x => x.MobileNumber).HasMaxLength(20);
        builder.Property(x => x.Feedback).HasMaxLength(2000);
        builder.Property(x => x.Version).IsConcurrencyToken();
        // A held result moves no Version (it must not show in the provinces' ETag), yet a photo or profile change decided
        // before it was learnt must not commit after it: its position is checked on every update instead.
        builder.Property(x => x.HeldStatusSubmission).IsConcurrencyToken();
        builder.Property(x => x.HeldStatusCaseVersion).IsConcurrencyToken();
        builder.Property(x => x.EducationLevel).HasMaxLength(32);
        builder.Property(x => x.PostgraduateStatus).HasMaxLength(32);
        builder.Property(x => x.EmployerType).HasMaxLength(32);
        builder.Property(x => x.Nationality).HasMaxLength(32);
        builder.Property(x => x.PreviousExamArea).HasMaxLength(16);
        builder.Property(x => x.QualificationRoute).HasMaxLength(32);
        builder.Property(x => x.PhotoObjectKey).HasMaxLength(128);
        builder.Property(x => x.PhotoSha256).HasMaxLength(64);
    }
}

internal sealed class ExamYearConfiguration : IEntityTypeConfiguration<ExamYear>
{
    public void Configure(EntityTypeBuilder<ExamYear> builder)
    {
        builder.ToTable("ExamYears");
        builder.HasKey(x => x.Year);
        builder.Property(x => x.Year).ValueGeneratedNever();
        builder.Property(x => x.Name).HasMaxLength(100);
        // Reference data to start from; operators maintain years afterwards.
        builder.HasData(new[] { 2025, 2026, 2027, 2028 }.Select(year => new ExamYear { Year = year, Name = $"{year}年医师资格考试" }));
    }
}

internal sealed class ExamAreaConfiguration : IEntityTypeConfiguration<ExamArea>
{
    public void Configure(EntityTypeBuilder<ExamArea> builder)
    {
        builder.ToTable("ExamAreas");
        builder.HasKey(x => x.Code);
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.Property(x => x.Name).HasMaxLength(100);
        // Reference data to start from; operators maintain areas afterwards.
        builder.HasData(StartingPlaces.Areas.Select(a => new ExamArea { Code = a.Code, Name = a.Name }));
    }
}

internal sealed class ExamSiteConfiguration : IEntityTypeConfiguration<ExamSite>
{
    public void Configure(EntityTypeBuilder<ExamSite> builder)
    {
        builder.ToTable("ExamSites");
        builder.HasKey(x => x.Code);
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.HasData(StartingPlaces.Sites.Select(s => new ExamSite { Code = s.Code, AreaCode = s.AreaCode, Name = s.Name }));
        builder.HasIndex(x => x.AreaCode);
    }
}

internal sealed class RegistrationCorrectionConfiguration(ProtectedStringConverter protectedString) : IEntityTypeConfiguration<RegistrationCorrection>
{
    public void Configure(EntityTypeBuilder<RegistrationCorrection> builder)
    {
        builder.ToTable("RegistrationCorrections");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.CandidateId, x.CorrectedAt });
        builder.Property(x => x.Field).HasMaxLength(32);
        // Corrected values are names, ID numbers and mobile numbers: encrypted like the registration's own.
        builder.Property(x => x.OldValue).HasMaxLength(512).HasConversion(protectedString);
        builder.Property(x => x.NewValue).HasMaxLength(512).HasConversion(protectedString);
        builder.Property(x => x.Reason).HasMaxLength(500);
        builder.Property(x => x.CorrectedBy).HasMaxLength(200);
    }
}

internal sealed class IdentityAccessConfiguration : IEntityTypeConfiguration<IdentityAccess>
{
    public void Configure(EntityTypeBuilder<IdentityAccess> builder)
    {
        builder.ToTable("IdentityAccessLog");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.CandidateId, x.At });
        builder.HasIndex(x => new { x.Actor, x.At });
        builder.Property(x => x.Actor).HasMaxLength(200);
        builder.Property(x => x.Role).HasMaxLength(32);
        builder.Property(x => x.Scope).HasMaxLength(32);
        builder.Property(x => x.What).HasMaxLength(32);
    }
}
