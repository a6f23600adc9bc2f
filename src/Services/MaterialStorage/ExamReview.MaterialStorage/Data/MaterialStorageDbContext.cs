using ExamReview.Contracts;
using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Provincial;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.MaterialStorage.Data;

/// <remarks>Created as its provider's subclass (<see cref="MaterialStoragePostgreSqlDbContext"/>, <see cref="MaterialStorageSqliteDbContext"/>), each with its own migrations.</remarks>
public class MaterialStorageDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<MaterialApplication> Applications => Set<MaterialApplication>();
    public DbSet<MaterialImage> Images => Set<MaterialImage>();
    public DbSet<CatalogVersion> Catalogs => Set<CatalogVersion>();
    public DbSet<AreaSettings> AreaSettings => Set<AreaSettings>();
    public DbSet<KnownArea> KnownAreas => Set<KnownArea>();
    public DbSet<CandidateProfileCopy> Profiles => Set<CandidateProfileCopy>();
    public DbSet<RedeemedHandover> RedeemedHandovers => Set<RedeemedHandover>();

    /// <summary>Pages this context's saves changed, told to waiting requests at commit (SQLite; PostgreSQL's triggers notify).</summary>
    internal Pages.PendingPageChanges PendingPageChanges { get; } = new();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new MaterialApplicationConfiguration());
        modelBuilder.ApplyConfiguration(new MaterialImageConfiguration());
        modelBuilder.ApplyConfiguration(new CatalogVersionConfiguration());
        modelBuilder.ApplyConfiguration(new AreaSettingsConfiguration());
        modelBuilder.ApplyConfiguration(new KnownAreaConfiguration());
        modelBuilder.ApplyConfiguration(new CandidateProfileCopyConfiguration());
        modelBuilder.ApplyConfiguration(new RedeemedHandoverConfiguration());
        modelBuilder.ApplyChangeFeed(IsSqlite);
    }

    protected override void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
        base.AddOptions(optionsBuilder);
        optionsBuilder.AddInterceptors(new ChangeFeedInterceptor(new ApplicationFeedProjection()), new ApplicationRevisions());
    }
}

internal sealed class MaterialApplicationConfiguration : IEntityTypeConfiguration<MaterialApplication>
{
    public void Configure(EntityTypeBuilder<MaterialApplication> builder)
    {
        builder.ToTable("Applications");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => x.CandidateId).IsUnique();
        builder.Property(x => x.RegistrationNumber).HasMaxLength(32);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SiteCode).HasMaxLength(16);
        builder.Property(x => x.Feedback).HasMaxLength(2000);
        builder.Property(x => x.Version).IsConcurrencyToken();
        builder.HasMany(x => x.Images).WithOne().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(x => x.IsLocked);
    }
}

internal sealed class MaterialImageConfiguration : IEntityTypeConfiguration<MaterialImage>
{
    public void Configure(EntityTypeBuilder<MaterialImage> builder)
    {
        builder.ToTable("Images");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => new { x.ApplicationId, x.MaterialType });
        // The validation backlog (ValidationBacklogApi): only the images still waiting for a verdict, oldest first.
        builder.HasIndex(x => x.UploadedAt, "IX_Images_PendingValidation").HasFilter("\"Validation\" = 0");
        // Approved (✓) images whose check failed (ValidationBacklogApi's alert): a handful at most, never a scan.
        builder.HasIndex(x => x.UploadedAt, "IX_Images_FailedAfterApproval").HasFilter("\"Validation\" = 2 AND \"Review\" = 2");
        builder.Property(x => x.MaterialType).HasMaxLength(64);
        builder.Property(x => x.ObjectKey).HasMaxLength(256);
        builder.Property(x => x.ReviewerCopyKey).HasMaxLength(256);
        builder.Property(x => x.ContentType).HasMaxLength(64);
        builder.Property(x => x.Sha256).HasMaxLength(64);
        builder.Property(x => x.FileName).HasMaxLength(255);
        builder.Ignore(x => x.IsLocked);
        builder.Ignore(x => x.AcceptedUnderBytes); // an intake fact the upload message carries, not a column
    }
}

internal sealed class CatalogVersionConfiguration : IEntityTypeConfiguration<CatalogVersion>
{
    /// <summary>The exam years whose national catalog ships with the service.</summary>
    public static readonly int[] SeededYears = [2025, 2026, 2027, 2028];

    public void Configure(EntityTypeBuilder<CatalogVersion> builder)
    {
        builder.ToTable("Catalogs");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.CreatedBy).HasMaxLength(200);
        // Two operators uploading at once: the unique key lets one version win and the other conflict.
        builder.HasIndex(x => new { x.ExamYear, x.AreaCode, x.Version }).IsUnique();
        // Version 1 of the national catalog and of each area's own (Hunan's, with its repeat-candidate set) for each
        // seeded year: the checked JSON resources themselves (seeds/004), so the operator API serves them back byte for
        // byte. Changing a resource is a migration, like any seeded data; stored versions never change.
        var areas = new[] { CatalogVersion.NationalArea }.Concat(CatalogStore.SeededAreas).ToList();
        builder.HasData(SeededYears.SelectMany(year => areas.Select((area, slot) => new CatalogVersion
        {
            Id = new Guid($"00000000-0000-7000-8{slot:D3}-{year:D12}"),
            ExamYear = year,
            AreaCode = area,
            Version = 1,
            Document = CatalogStore.SeedDocument(area),
            CreatedBy = "seed:004",
            CreatedAt = new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero),
        })));
    }
}

internal sealed class AreaSettingsConfiguration : IEntityTypeConfiguration<AreaSettings>
{
    public void Configure(EntityTypeBuilder<AreaSettings> builder)
    {
        builder.ToTable("AreaSettings");
        builder.HasKey(x => x.AreaCode);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
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

internal sealed class CandidateProfileCopyConfiguration : IEntityTypeConfiguration<CandidateProfileCopy>
{
    public void Configure(EntityTypeBuilder<CandidateProfileCopy> builder)
    {
        builder.ToTable("CandidateProfiles");
        builder.HasKey(x => x.CandidateId);
        builder.Property(x => x.CandidateId).ValueGeneratedNever();
    }
}

internal sealed class RedeemedHandoverConfiguration : IEntityTypeConfiguration<RedeemedHandover>
{
    public void Configure(EntityTypeBuilder<RedeemedHandover> builder)
    {
        builder.ToTable("RedeemedHandovers");
        builder.HasKey(x => x.TokenId);
        builder.Property(x => x.TokenId).ValueGeneratedNever();
        builder.HasIndex(x => x.ExpiresAt);
    }
}
