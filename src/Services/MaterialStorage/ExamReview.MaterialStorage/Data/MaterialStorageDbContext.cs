using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.MaterialStorage.Data;

public sealed class MaterialStorageDbContext(DbContextOptions<MaterialStorageDbContext> options) : ServiceDbContext(options)
{
    public DbSet<MaterialApplication> Applications => Set<MaterialApplication>();
    public DbSet<MaterialImage> Images => Set<MaterialImage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new MaterialApplicationConfiguration());
        modelBuilder.ApplyConfiguration(new MaterialImageConfiguration());
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
        builder.Property(x => x.MaterialType).HasMaxLength(64);
        builder.Property(x => x.ObjectKey).HasMaxLength(256);
        builder.Property(x => x.ContentType).HasMaxLength(64);
        builder.Property(x => x.Sha256).HasMaxLength(64);
        builder.Property(x => x.FileName).HasMaxLength(255);
        builder.Ignore(x => x.IsLocked);
    }
}
