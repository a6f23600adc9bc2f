using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Provincial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Data;

/// <remarks>Created as its provider's subclass (<see cref="ReviewPostgreSqlDbContext"/>, <see cref="ReviewSqliteDbContext"/>), each with its own migrations.</remarks>
public class ReviewDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<ReviewCase> Cases => Set<ReviewCase>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<ImageReview> ImageReviews => Set<ImageReview>();
    public DbSet<CandidateProfile> CandidateProfiles => Set<CandidateProfile>();
    public DbSet<KnownImage> KnownImages => Set<KnownImage>();
    public DbSet<ReviewCaseCount> CaseCounts => Set<ReviewCaseCount>();
    public DbSet<ReviewDurationBucket> DurationBuckets => Set<ReviewDurationBucket>();
    public DbSet<KnownArea> KnownAreas => Set<KnownArea>();
    public DbSet<KnownSite> KnownSites => Set<KnownSite>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnlyTimeline();
        return CaseAggregates.Save(this, () => base.SaveChanges(acceptAllChangesOnSuccess));
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnlyTimeline();
        return CaseAggregates.SaveAsync(this, ct => base.SaveChangesAsync(acceptAllChangesOnSuccess, ct), cancellationToken);
    }

    /// <summary>The audit timeline is append-only: an edit or a deletion is a bug, never a feature.</summary>
    private void GuardAppendOnlyTimeline()
    {
        if (ChangeTracker.Entries<CaseEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("The case timeline is append-only: events cannot be changed or deleted.");
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new ReviewCaseConfiguration());
        modelBuilder.ApplyConfiguration(new CaseEventConfiguration());
        modelBuilder.ApplyConfiguration(new ImageReviewConfiguration());
        modelBuilder.ApplyConfiguration(new CandidateProfileConfiguration());
        modelBuilder.ApplyConfiguration(new KnownImageConfiguration());
        modelBuilder.ApplyConfiguration(new KnownAreaConfiguration());
        modelBuilder.ApplyConfiguration(new KnownSiteConfiguration());
        Publication.PublicationModel.Configure(modelBuilder);
        modelBuilder.ApplyChangeFeed(IsSqlite).ApplyIdempotencyKeys();
        modelBuilder.ApplyConfiguration(new ReviewCaseCountConfiguration());
        modelBuilder.ApplyConfiguration(new ReviewDurationBucketConfiguration());
        modelBuilder.ApplyConfiguration(new ReviewCaseQueueIndexes());
    }

    protected override void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
        base.AddOptions(optionsBuilder);
        optionsBuilder.AddInterceptors(new ChangeFeedInterceptor(new ReviewFeedProjection()));
    }
}

internal sealed class ReviewCaseConfiguration : IEntityTypeConfiguration<ReviewCase>
{
    public void Configure(EntityTypeBuilder<ReviewCase> builder)
    {
        builder.ToTable("ReviewCases");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => x.ApplicationId).IsUnique();
        // A failing verdict finds the candidate's case by it (MaterialValidatedConsumer moves its version).
        builder.HasIndex(x => x.CandidateId);
        // Queue queries: scope (+ state), paged by (SubmittedAt, Id); see migration 20261122120000 for the rest.
        builder.HasIndex(x => new { x.SiteCode, x.State, x.SubmittedAt, x.Id });
        builder.HasIndex(x => new { x.AreaCode, x.State, x.SubmittedAt, x.Id });
        builder.HasIndex(x => new { x.SiteCode, x.SubmittedAt, x.Id });
        builder.HasIndex(x => new { x.AreaCode, x.SubmittedAt, x.Id });
        builder.HasIndex(x => x.ClaimExpiresAt);
        builder.HasIndex(x => new { x.State, x.RespondBy });
        // Operator metrics select a period's cases by when they were first reviewed and finally decided.
        builder.HasIndex(x => x.FirstReviewedAt);
        builder.HasIndex(x => x.DecidedAt);
        builder.Property(x => x.RegistrationNumber).HasMaxLength(32);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SiteCode).HasMaxLength(16);
        builder.Property(x => x.ExamCategory).HasMaxLength(64);
        builder.Property(x => x.ClaimedBy).HasMaxLength(128);
        builder.Property(x => x.Feedback).HasMaxLength(2000);
        builder.Property(x => x.MissingMaterialsJson).HasMaxLength(4000);
        builder.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> builder)
    {
        builder.ToTable("CaseEvents");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => new { x.CaseId, x.At });
        builder.HasIndex(x => new { x.Kind, x.At });
        builder.Property(x => x.Kind).HasMaxLength(64);
        builder.Property(x => x.Actor).HasMaxLength(128);
    }
}

internal sealed class ImageReviewConfiguration : IEntityTypeConfiguration<ImageReview>
{
    public void Configure(EntityTypeBuilder<ImageReview> builder)
    {
        builder.ToTable("ImageReviews");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.CaseId, x.ImageId }).IsUnique();
        builder.Property(x => x.MaterialType).HasMaxLength(64);
        builder.Property(x => x.ReasonCode).HasMaxLength(64);
        builder.Property(x => x.PreviousReasonCode).HasMaxLength(64);
        builder.Property(x => x.Note).HasMaxLength(500);
        builder.Property(x => x.PreviousNote).HasMaxLength(500);
        builder.Property(x => x.DecidedBy).HasMaxLength(128);
    }
}

internal sealed class CandidateProfileConfiguration : IEntityTypeConfiguration<CandidateProfile>
{
    public void Configure(EntityTypeBuilder<CandidateProfile> builder)
    {
        builder.ToTable("CandidateProfiles");
        builder.HasKey(x => x.CandidateId);
        builder.Property(x => x.CandidateId).ValueGeneratedNever();
        builder.Property(x => x.ExamCategory).HasMaxLength(64);
    }
}

internal sealed class KnownImageConfiguration : IEntityTypeConfiguration<KnownImage>
{
    public void Configure(EntityTypeBuilder<KnownImage> builder)
    {
        builder.ToTable("KnownImages");
        builder.HasKey(x => x.ImageId);
        builder.Property(x => x.ImageId).ValueGeneratedNever();
        builder.Property(x => x.MaterialType).HasMaxLength(64);
        builder.Property(x => x.MaterialName).HasMaxLength(200);
        builder.Property(x => x.LockState).HasMaxLength(16);
        builder.Property(x => x.LockLabel).HasMaxLength(16);
        // Rows from before verdicts were kept here are NotTracked (migration VerdictChecks), never pending for good.
        builder.Property(x => x.Check).HasConversion<int>();
    }
}
