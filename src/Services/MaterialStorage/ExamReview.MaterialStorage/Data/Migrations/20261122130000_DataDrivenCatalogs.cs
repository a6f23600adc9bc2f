using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExamReview.MaterialStorage.Data.Migrations;

/// <summary>
/// Catalogs become data (versioned JSON per exam year and area, seeded from seeds/004 as the national
/// default of each seeded year), per-area settings, the candidate profile copy and redeemed hand-overs.
/// </summary>
[DbContext(typeof(MaterialStorageDbContext))]
[Migration("20261122130000_DataDrivenCatalogs")]
public sealed class DataDrivenCatalogs : Migration
{
    /// <summary>Exam years the seed catalog is installed for; later years get theirs through the operator API.</summary>
    public static readonly int[] SeededYears = [2025, 2026, 2027, 2028];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.AddColumn<int>("SubmissionMode", "Applications", nullable: false, defaultValue: 0);

        migrationBuilder.CreateTable(
            name: "Catalogs",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                ExamYear = table.Column<int>(nullable: false),
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                Version = table.Column<int>(nullable: false),
                Document = table.Column<string>(nullable: false),
                CreatedBy = table.Column<string>(maxLength: 200, nullable: false),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Catalogs", x => x.Id));
        migrationBuilder.CreateIndex("IX_Catalogs_ExamYear_AreaCode_Version", "Catalogs", ["ExamYear", "AreaCode", "Version"], unique: true);

        migrationBuilder.CreateTable(
            name: "AreaSettings",
            columns: table => new
            {
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                SubmissionMode = table.Column<int>(nullable: false),
                MaxImageBytes = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_AreaSettings", x => x.AreaCode));

        migrationBuilder.CreateTable(
            name: "CandidateProfiles",
            columns: table => new
            {
                CandidateId = table.Column<Guid>(nullable: false),
                FactsJson = table.Column<string>(nullable: false),
                ProfileVersion = table.Column<int>(nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CandidateProfiles", x => x.CandidateId));

        migrationBuilder.CreateTable(
            name: "RedeemedHandovers",
            columns: table => new
            {
                TokenId = table.Column<Guid>(nullable: false),
                CandidateId = table.Column<Guid>(nullable: false),
                RedeemedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                ExpiresAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_RedeemedHandovers", x => x.TokenId));
        migrationBuilder.CreateIndex("IX_RedeemedHandovers_ExpiresAt", "RedeemedHandovers", "ExpiresAt");

        // The seed is the checked JSON resource itself, so the operator API serves it back byte for byte.
        var document = CatalogStore.SeedDocument();
        var seededAt = new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);
        // SQLite stores DateTimeOffset through the same converter ServiceDbContext configures.
        var createdAt = MigrationSupport.IsSqlite(migrationBuilder) ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(seededAt)! : seededAt;
        var rows = new object[SeededYears.Length, 7];
        for (var i = 0; i < SeededYears.Length; i++)
        {
            rows[i, 0] = new Guid($"00000000-0000-7000-8000-{SeededYears[i]:D12}");
            rows[i, 1] = SeededYears[i];
            rows[i, 2] = "*";
            rows[i, 3] = 1;
            rows[i, 4] = document;
            rows[i, 5] = "seed:004";
            rows[i, 6] = createdAt;
        }
        migrationBuilder.InsertData("Catalogs", ["Id", "ExamYear", "AreaCode", "Version", "Document", "CreatedBy", "CreatedAt"],
            [MigrationSupport.IsSqlite(migrationBuilder) ? "TEXT" : "uuid", "integer", "text", "integer", "text", "text", MigrationSupport.IsSqlite(migrationBuilder) ? "INTEGER" : "timestamp with time zone"],
            rows);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("RedeemedHandovers");
        migrationBuilder.DropTable("CandidateProfiles");
        migrationBuilder.DropTable("AreaSettings");
        migrationBuilder.DropTable("Catalogs");
        migrationBuilder.DropColumn("SubmissionMode", "Applications");
    }
}
