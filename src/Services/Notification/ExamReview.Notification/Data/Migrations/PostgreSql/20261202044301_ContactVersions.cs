using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Notification.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ContactVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ContactVersion",
                table: "Contacts",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContactVersion",
                table: "Contacts");
        }
    }
}
