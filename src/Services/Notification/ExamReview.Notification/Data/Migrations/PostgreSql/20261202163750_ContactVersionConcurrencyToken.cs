using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Notification.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ContactVersionConcurrencyToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Nothing in the schema: Contacts.ContactVersion became the row's concurrency token, which only the model
            // (and its snapshot, carried by this migration) knows.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
