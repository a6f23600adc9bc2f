using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.Notification.Data;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using ExamReview.ReviewWorkflow.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ExamReview.UnitTests;

/// <summary>
/// Registration owns exam categories, areas and sites; other services keep copies so they can refuse an unknown value
/// without asking it. The copies that are written in code (the category vocabulary, the areas and sites Registration
/// starts with, which are seeded there and never announced) must say what Registration says.
/// </summary>
public sealed class ReferenceDataCopiesTests
{
    [Fact]
    public void The_exam_categories_of_the_contract_registration_and_the_catalog_rules_are_the_same()
    {
        Assert.Equal(ExamCategories.All.Order(StringComparer.Ordinal), ExamCategoryCodes.All.Order(StringComparer.Ordinal));
        Assert.Equal(ProfileFacts.ExamCategories.Order(StringComparer.Ordinal), ExamCategoryCodes.All.Order(StringComparer.Ordinal));
        Assert.True(ExamCategoryCodes.IsKnown("assistant-dental"));
        Assert.False(ExamCategoryCodes.IsKnown("surgery"));
        Assert.False(ExamCategoryCodes.IsKnown("Assistant-Dental"));
        Assert.False(ExamCategoryCodes.IsKnown(null));
    }

    [Fact]
    public void MaterialStorage_ReviewWorkflow_and_Notification_start_with_the_areas_and_sites_Registration_seeds()
    {
        using var registration = new RegistrationSqliteDbContextFactory().CreateDbContext([]);
        using var materials = new MaterialStorageSqliteDbContextFactory().CreateDbContext([]);
        using var review = new ReviewSqliteDbContextFactory().CreateDbContext([]);
        using var notification = new NotificationSqliteDbContextFactory().CreateDbContext([]);

        var areas = Seeds(registration, "ExamAreas", "Code", "Name");
        Assert.NotEmpty(areas);
        Assert.Equal(areas, Seeds(materials, "KnownAreas", "Code", "Name"));
        Assert.Equal(areas, Seeds(review, "KnownAreas", "Code", "Name"));
        Assert.Equal(areas, Seeds(notification, "KnownAreas", "Code", "Name"));
        Assert.Equal(Seeds(registration, "ExamSites", "Code", "AreaCode", "Name"), Seeds(review, "KnownSites", "Code", "AreaCode", "Name"));
    }

    /// <summary>The seed rows (HasData) of the table, as "value|value|…" lines in order.</summary>
    private static List<string> Seeds(DbContext db, string table, params string[] columns)
    {
        var model = db.GetService<IDesignTimeModel>().Model;
        var entity = model.GetEntityTypes().Single(e => e.GetTableName() == table);
        return entity.GetSeedData().Select(row => string.Join('|', columns.Select(c => row[c]))).Order(StringComparer.Ordinal).ToList();
    }
}
