using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>
/// Helpers for hand-authored, provider-neutral migrations (the EF design-time package is not available
/// here). Column types are left to the provider except where PostgreSQL and SQLite must differ.
/// </summary>
public static class MigrationSupport
{
    public static bool IsSqlite(this MigrationBuilder migrationBuilder) =>
        migrationBuilder.ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;

    /// <summary>Column type for DateTimeOffset: timestamptz on PostgreSQL, ticks on SQLite (see ServiceDbContext).</summary>
    public static string? TimestampType(this MigrationBuilder migrationBuilder) =>
        migrationBuilder.IsSqlite() ? "INTEGER" : null;

    public static OperationBuilder<AddColumnOperation> Identity(this OperationBuilder<AddColumnOperation> column) =>
        column
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

    /// <summary>Creates the outbox and inbox tables every service owns.</summary>
    public static void CreateMessagingTables(this MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();
        migrationBuilder.CreateTable(
            name: "OutboxMessages",
            columns: table => new
            {
                Sequence = table.Column<long>(nullable: false).Identity(),
                MessageId = table.Column<Guid>(nullable: false),
                MessageType = table.Column<string>(maxLength: 200, nullable: false),
                Body = table.Column<string>(nullable: false),
                TraceParent = table.Column<string>(nullable: true),
                CreatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
                PublishedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                Attempts = table.Column<int>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_OutboxMessages", x => x.Sequence));
        migrationBuilder.CreateIndex("IX_OutboxMessages_MessageId", "OutboxMessages", "MessageId", unique: true);
        migrationBuilder.CreateIndex("IX_OutboxMessages_PublishedAt", "OutboxMessages", "PublishedAt");

        migrationBuilder.CreateTable(
            name: "InboxMessages",
            columns: table => new
            {
                MessageId = table.Column<Guid>(nullable: false),
                Consumer = table.Column<string>(maxLength: 200, nullable: false),
                ProcessedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_InboxMessages", x => new { x.MessageId, x.Consumer }));
        migrationBuilder.CreateIndex("IX_InboxMessages_ProcessedAt", "InboxMessages", "ProcessedAt");
    }
}
