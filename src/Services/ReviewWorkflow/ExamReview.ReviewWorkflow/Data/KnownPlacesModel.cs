using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Data;

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

internal sealed class KnownSiteConfiguration : IEntityTypeConfiguration<KnownSite>
{
    public void Configure(EntityTypeBuilder<KnownSite> builder)
    {
        builder.ToTable("KnownSites");
        builder.HasKey(x => x.Code);
        builder.Property(x => x.Code).HasMaxLength(16);
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.Name).HasMaxLength(100);
        // Registration's starting sites, as for the areas.
        builder.HasData(StartingPlaces.Sites.Select(s => new KnownSite { Code = s.Code, AreaCode = s.AreaCode, Name = s.Name }));
    }
}
