using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Notification.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class WebhookSecretsSealed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The key column's declared length grows to hold a sealed key; bytea and BLOB have no length to change. The
            // keys stored before are sealed at start-up by WebhookSecretResealing, which needs the key ring a migration has not.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
