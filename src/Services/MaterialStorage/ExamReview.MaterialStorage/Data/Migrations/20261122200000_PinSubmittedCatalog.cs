using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.MaterialStorage.Data.Migrations;

/// <summary>
/// Applications remember the catalog version they were submitted against (null until the first submission,
/// and for applications submitted before this column existed, which keep following the catalog in force).
/// </summary>
[DbContext(typeof(MaterialStorageDbContext))]
[Migration("20261122200000_PinSubmittedCatalog")]
public sealed class PinSubmittedCatalog : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<Guid>("CatalogId", "Applications", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("CatalogId", "Applications");
}
