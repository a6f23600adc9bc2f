using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// Migrations <c>KnownAreas</c> (MaterialStorage, Notification) and <c>KnownPlaces</c> (ReviewWorkflow) on both providers: besides
/// Registration's starting areas and sites, every area and site the service already holds data of becomes known, so an
/// area an operator created before Registration announced areas keeps its settings, catalog, rounds and metrics.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class KnownPlacesMigrationTests(PostgresContainer postgres)
{
    [Theory]
    [InlineData(nameof(DatabaseProvider.PostgreSql))]
    [InlineData(nameof(DatabaseProvider.Sqlite))]
    public async Task MaterialStorage_knows_the_areas_of_its_settings_catalogs_and_applications(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(Enum.Parse<DatabaseProvider>(provider), postgres.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        await using (var db = (MaterialStorageDbContext)ServiceContexts.Create("MaterialStorage", database))
        {
            await MigrateToBeforeAsync(db, "_KnownAreas");
            // The tables written here are mapped as they were then (the migration only adds a table).
            db.AreaSettings.Add(AreaSettings.Default("OLD1"));
            db.Catalogs.Add(CatalogVersion.Next(2027, "OLD2", null, "{}", "operator", now));
            db.Catalogs.Add(CatalogVersion.Next(2030, CatalogVersion.NationalArea, null, "{}", "operator", now)); // "*" is no area
            db.Applications.Add(new MaterialApplication
            {
                Id = Guid.CreateVersion7(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027000000001", ExamYear = 2027,
                AreaCode = "OLD3", SiteCode = "OLD3S1", CreatedAt = now,
            });
            await db.SaveChangesAsync();
        }
        await using (var db = (MaterialStorageDbContext)ServiceContexts.Create("MaterialStorage", database))
        {
            await db.Database.MigrateAsync();
            var areas = await db.KnownAreas.AsNoTracking().ToDictionaryAsync(a => a.Code, a => a.Name);
            Assert.Equal(["11", "43", "44", "51", "OLD1", "OLD2", "OLD3"], areas.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(("湖南考区", "OLD1"), (areas["43"], areas["OLD1"]));
        }
    }

    [Theory]
    [InlineData(nameof(DatabaseProvider.PostgreSql))]
    [InlineData(nameof(DatabaseProvider.Sqlite))]
    public async Task ReviewWorkflow_knows_the_areas_and_sites_of_its_cases_and_rounds(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(Enum.Parse<DatabaseProvider>(provider), postgres.ConnectionString);
        await using (var db = (ReviewDbContext)ServiceContexts.Create("ReviewWorkflow", database))
        {
            await MigrateToBeforeAsync(db, "_KnownPlaces");
            db.CaseCounts.Add(new ReviewCaseCount { AreaCode = "OLD1", SiteCode = "OLD1S1", State = CaseState.SiteReview, Count = 3 });
            db.CaseCounts.Add(new ReviewCaseCount { AreaCode = "OLD1", SiteCode = "OLD1S1", State = CaseState.Approved, Count = 1 });
            db.CaseCounts.Add(new ReviewCaseCount { AreaCode = "43", SiteCode = "4301", State = CaseState.SiteReview, Count = 2 });
            db.ResultRounds().Add(new ResultRound { Id = Guid.CreateVersion7(), Level = RoundLevels.Area, ScopeCode = "OLD2", OpenedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await using (var db = (ReviewDbContext)ServiceContexts.Create("ReviewWorkflow", database))
        {
            await db.Database.MigrateAsync();
            var areas = await db.KnownAreas.AsNoTracking().Select(a => a.Code).ToListAsync();
            Assert.Equal(["11", "43", "44", "51", "OLD1", "OLD2"], areas.Order(StringComparer.Ordinal));
            var sites = await db.KnownSites.AsNoTracking().ToDictionaryAsync(s => s.Code, s => s.AreaCode);
            Assert.Equal("OLD1", sites["OLD1S1"]);
            Assert.Equal("43", sites["4301"]);
            Assert.Equal(8, sites.Count);
        }
    }

    [Theory]
    [InlineData(nameof(DatabaseProvider.PostgreSql))]
    [InlineData(nameof(DatabaseProvider.Sqlite))]
    public async Task Notification_knows_the_areas_of_its_senders_templates_and_contacts(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(Enum.Parse<DatabaseProvider>(provider), postgres.ConnectionString);
        await using (var db = (NotificationDbContext)ServiceContexts.Create("Notification", database))
        {
            await MigrateToBeforeAsync(db, "_KnownAreas");
            db.AreaSenders.Add(AreaSender.New("OLD1", "旧考区"));
            db.SmsTemplates.Add(new SmsTemplate { AreaCode = "OLD2", Template = "review-approved", ProviderTemplateCode = "SMS_1", Body = "通过。" });
            db.Contacts.Add(new CandidateContact { CandidateId = Guid.NewGuid(), AreaCode = "OLD3", MobileNumber = "13800138000", UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await using (var db = (NotificationDbContext)ServiceContexts.Create("Notification", database))
        {
            await db.Database.MigrateAsync();
            var areas = await db.KnownAreas.AsNoTracking().ToDictionaryAsync(a => a.Code, a => a.Name);
            // "*" (every area's templates) is no area.
            Assert.Equal(["11", "43", "44", "51", "OLD1", "OLD2", "OLD3"], areas.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(("湖南考区", "OLD1"), (areas["43"], areas["OLD1"]));
        }
    }

    private static async Task MigrateToBeforeAsync(DbContext db, string migration)
    {
        var all = db.Database.GetMigrations().ToList();
        var previous = all[all.FindIndex(m => m.EndsWith(migration, StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(previous);
    }
}
