using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExamReview.Notification.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SmsExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "SmsMessages",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "SmsMessages");
        }
    }
}
