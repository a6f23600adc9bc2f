using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Data;

public sealed class ReviewDbContext(DbContextOptions<ReviewDbContext> options) : ServiceDbContext(options)
{
    public DbSet<ReviewCase> Cases => Set<ReviewCase>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new ReviewCaseConfiguration());
        modelBuilder.ApplyConfiguration(new CaseEventConfiguration());
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
        // Queue queries: scope + state, newest submissions paged by (SubmittedAt, Id).
        builder.HasIndex(x => new { x.SiteCode, x.State, x.SubmittedAt, x.Id });
        builder.HasIndex(x => new { x.AreaCode, x.State, x.SubmittedAt, x.Id });
        builder.Property(x => x.RegistrationNumber).HasMaxLength(32);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SiteCode).HasMaxLength(16);
        builder.Property(x => x.Feedback).HasMaxLength(2000);
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
        builder.Property(x => x.Kind).HasMaxLength(64);
        builder.Property(x => x.Actor).HasMaxLength(128);
    }
}
