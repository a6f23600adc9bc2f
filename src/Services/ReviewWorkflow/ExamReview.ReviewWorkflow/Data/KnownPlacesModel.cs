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
        // Registration's starting areas: seeded there, so never announced (a unit test keeps the two lists equal).
        builder.HasData(
            new KnownArea { Code = "11", Name = "北京考区" },
            new KnownArea { Code = "43", Name = "湖南考区" },
            new KnownArea { Code = "44", Name = "广东考区" },
            new KnownArea { Code = "51", Name = "四川考区" });
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
        builder.HasData(
            new KnownSite { Code = "1101", AreaCode = "11", Name = "北京市东城区考点" },
            new KnownSite { Code = "1102", AreaCode = "11", Name = "北京市海淀区考点" },
            new KnownSite { Code = "4301", AreaCode = "43", Name = "长沙市考点" },
            new KnownSite { Code = "4302", AreaCode = "43", Name = "株洲市考点" },
            new KnownSite { Code = "4401", AreaCode = "44", Name = "广州市考点" },
            new KnownSite { Code = "4403", AreaCode = "44", Name = "深圳市考点" },
            new KnownSite { Code = "5101", AreaCode = "51", Name = "成都市考点" });
    }
}
