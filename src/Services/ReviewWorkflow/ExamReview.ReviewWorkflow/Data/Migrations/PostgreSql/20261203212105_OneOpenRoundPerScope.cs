using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.ReviewWorkflow.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OneOpenRoundPerScope : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Scopes that two first end dates opened twice before this index: keep the round every read showed and
            // acted on (the earliest opened, RoundPublisher's OrderBy(OpenedAt)), drop the others. An open round holds
            // nothing but its dates (held results take a round's id only as it closes), so nothing refers to them.
            migrationBuilder.Sql("""
                DELETE FROM "ResultRounds"
                WHERE "ClosedAt" IS NULL AND EXISTS (
                    SELECT 1 FROM "ResultRounds" AS kept
                    WHERE kept."ClosedAt" IS NULL AND kept."Level" = "ResultRounds"."Level" AND kept."ScopeCode" = "ResultRounds"."ScopeCode"
                      AND (kept."OpenedAt" < "ResultRounds"."OpenedAt" OR (kept."OpenedAt" = "ResultRounds"."OpenedAt" AND kept."Id" < "ResultRounds"."Id")));
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ResultRounds_OneOpenPerScope",
                table: "ResultRounds",
                columns: new[] { "Level", "ScopeCode" },
                unique: true,
                filter: "\"ClosedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ResultRounds_OneOpenPerScope",
                table: "ResultRounds");
        }
    }
}
