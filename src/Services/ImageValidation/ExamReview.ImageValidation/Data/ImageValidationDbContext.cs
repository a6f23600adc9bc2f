using ExamReview.ImageValidation.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ImageValidation.Data;

/// <remarks>Created as its provider's subclass (<see cref="ImageValidationPostgreSqlDbContext"/>, <see cref="ImageValidationSqliteDbContext"/>), each with its own migrations.</remarks>
public class ImageValidationDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<ValidationRecord> ValidationRecords => Set<ValidationRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new ValidationRecordConfiguration());
    }
}

internal sealed class ValidationRecordConfiguration : IEntityTypeConfiguration<ValidationRecord>
{
    public void Configure(EntityTypeBuilder<ValidationRecord> builder)
    {
        builder.ToTable("ValidationRecords");
        builder.HasKey(x => x.ImageId);
        builder.Property(x => x.ImageId).ValueGeneratedNever(); // ids are assigned by the service (time-ordered v7)
        builder.HasIndex(x => x.CandidateId);
        builder.Property(x => x.MaterialType).HasMaxLength(64);
        builder.Property(x => x.Sha256).HasMaxLength(64);
    }
}
