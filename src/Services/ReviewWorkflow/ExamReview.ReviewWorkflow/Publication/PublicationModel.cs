using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ReviewWorkflow.Publication;

/// <summary>Rounds and held results in ReviewWorkflow's database (configured apart from the case model).</summary>
public static class PublicationModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new HeldResultConfiguration());
        modelBuilder.ApplyConfiguration(new ResultRoundConfiguration());
    }

    public static DbSet<HeldResult> HeldResults(this DbContext db) => db.Set<HeldResult>();
    public static DbSet<ResultRound> ResultRounds(this DbContext db) => db.Set<ResultRound>();
}

internal sealed class HeldResultConfiguration : IEntityTypeConfiguration<HeldResult>
{
    public void Configure(EntityTypeBuilder<HeldResult> builder)
    {
        builder.ToTable("HeldResults");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        // The round's work list: a scope's results neither published nor withdrawn.
        builder.HasIndex(x => new { x.Level, x.ScopeCode, x.PublishedAt, x.WithdrawnAt });
        builder.HasIndex(x => x.CaseId);
        // Exactly once per case and round: a second row for the same case in one round cannot commit.
        builder.HasIndex(x => new { x.RoundId, x.CaseId }).IsUnique();
        builder.Property(x => x.AreaCode).HasMaxLength(16);
        builder.Property(x => x.SiteCode).HasMaxLength(16);
        builder.Property(x => x.Level).HasMaxLength(8);
        builder.Property(x => x.ScopeCode).HasMaxLength(16);
        builder.Property(x => x.Result).HasMaxLength(16);
        builder.Property(x => x.Reason).HasMaxLength(2000);
        builder.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class ResultRoundConfiguration : IEntityTypeConfiguration<ResultRound>
{
    public void Configure(EntityTypeBuilder<ResultRound> builder)
    {
        builder.ToTable("ResultRounds");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever();
        builder.HasIndex(x => new { x.Level, x.ScopeCode, x.ClosedAt });
        // At most one open round per scope, kept by the database: two first end dates set at once both find no open
        // round and both insert one, and only this index stops the second (RoundPublisher.ScheduleAsync then sets its
        // date on the round the first opened). Closed rounds are many per scope, so the index covers open ones only.
        builder.HasIndex(x => new { x.Level, x.ScopeCode }).IsUnique().HasFilter("\"ClosedAt\" IS NULL")
            .HasDatabaseName("IX_ResultRounds_OneOpenPerScope");
        builder.HasIndex(x => new { x.ClosedAt, x.EndsAt });
        builder.Property(x => x.Level).HasMaxLength(8);
        builder.Property(x => x.ScopeCode).HasMaxLength(16);
        builder.Property(x => x.ClosedBy).HasMaxLength(200);
        builder.Property(x => x.Version).IsConcurrencyToken();
    }
}
