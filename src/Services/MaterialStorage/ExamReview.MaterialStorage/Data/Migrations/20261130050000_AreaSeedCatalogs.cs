using ExamReview.MaterialStorage.Domain;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExamReview.MaterialStorage.Data.Migrations;

/// <summary>
/// The national default follows seeds/004's "各类别均需上传" in full (licence copy unless 三甲/疾控, one trial-period
/// certificate per institution for everyone, 师承/确有专长 by qualification route) as version 2 of each seeded
/// year, and Hunan (43) gets its own catalog with the 2017–2020 repeat-candidate reduced set. Stored versions
/// never change, so submissions pinned to version 1 keep reading it.
/// </summary>
[DbContext(typeof(MaterialStorageDbContext))]
[Migration("20261130050000_AreaSeedCatalogs")]
public sealed class AreaSeedCatalogs : Migration
{
    private static readonly DateTimeOffset SeededAt = new(2026, 11, 30, 5, 0, 0, TimeSpan.Zero);

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        Insert(migrationBuilder, CatalogVersion.NationalArea, 2, 1);
        var offset = 2;
        foreach (var area in CatalogStore.SeededAreas)
        {
            Insert(migrationBuilder, area, 1, offset++);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var year in DataDrivenCatalogs.SeededYears)
        {
            migrationBuilder.DeleteData("Catalogs", "Id", IdOf(year, 1));
            for (var i = 0; i < CatalogStore.SeededAreas.Count; i++)
            {
                migrationBuilder.DeleteData("Catalogs", "Id", IdOf(year, 2 + i));
            }
        }
    }

    /// <summary>Fixed ids (…-8&lt;n&gt;…-year) so Down removes exactly these rows.</summary>
    private static Guid IdOf(int year, int slot) => new($"00000000-0000-7000-8{slot:D3}-{year:D12}");

    private static void Insert(MigrationBuilder migrationBuilder, string areaCode, int version, int slot)
    {
        var sqlite = MigrationSupport.IsSqlite(migrationBuilder);
        // SQLite stores DateTimeOffset through the same converter ServiceDbContext configures.
        var createdAt = sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(SeededAt)! : SeededAt;
        var document = CatalogStore.SeedDocument(areaCode);
        var years = DataDrivenCatalogs.SeededYears;
        var rows = new object[years.Length, 7];
        for (var i = 0; i < years.Length; i++)
        {
            rows[i, 0] = IdOf(years[i], slot);
            rows[i, 1] = years[i];
            rows[i, 2] = areaCode;
            rows[i, 3] = version;
            rows[i, 4] = document;
            rows[i, 5] = "seed:004";
            rows[i, 6] = createdAt;
        }
        migrationBuilder.InsertData("Catalogs", ["Id", "ExamYear", "AreaCode", "Version", "Document", "CreatedBy", "CreatedAt"],
            [sqlite ? "TEXT" : "uuid", "integer", "text", "integer", "text", "text", sqlite ? "INTEGER" : "timestamp with time zone"],
            rows);
    }
}
