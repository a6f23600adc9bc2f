using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LoadDurationHistogramIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ReviewDurationBuckets_Measure_Day",
                table: "ReviewDurationBuckets",
                columns: new[] { "Measure", "Day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewDurationBuckets_Measure_Day",
                table: "ReviewDurationBuckets");
        }
    }
}
