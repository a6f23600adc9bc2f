using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.MaterialStorage.Data.Migrations;

/// <summary>
/// Images record where ImageValidation wrote their watermarked copy (its verdict names it). Images judged before
/// this column existed had their copy written by MaterialStorage at <c>watermarked/{application}/{image}</c>, the
/// same place ImageValidation writes now, so their key is derived from the original's (<c>originals/…</c>).
/// </summary>
[DbContext(typeof(MaterialStorageDbContext))]
[Migration("20261130000000_ReviewerCopyKey")]
public sealed class ReviewerCopyKey : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>("ReviewerCopyKey", "Images", maxLength: 256, nullable: true);
        // substr and || mean the same on PostgreSQL and SQLite; 'originals/' is 10 characters.
        migrationBuilder.Sql("""
            UPDATE "Images" SET "ReviewerCopyKey" = 'watermarked/' || substr("ObjectKey", 11)
            WHERE "Validation" <> 0 AND "ObjectKey" LIKE 'originals/%'
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn("ReviewerCopyKey", "Images");
}
