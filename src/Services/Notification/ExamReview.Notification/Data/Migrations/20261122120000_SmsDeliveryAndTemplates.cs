using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamReview.Notification.Data.Migrations;

/// <summary>
/// SMS delivery records (provider idempotency key, attempts, lease, delivery report), templates as data per area,
/// and the kind of each in-app message.
/// </summary>
[DbContext(typeof(NotificationDbContext))]
[Migration("20261122120000_SmsDeliveryAndTemplates")]
public sealed class SmsDeliveryAndTemplates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var timestamp = migrationBuilder.TimestampType();

        migrationBuilder.AddColumn<string>("SignName", "SmsMessages", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>("TemplateCode", "SmsMessages", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<string>("TemplateParams", "SmsMessages", maxLength: 1000, nullable: true);
        migrationBuilder.AddColumn<string>("OutId", "SmsMessages", maxLength: 64, nullable: true);
        migrationBuilder.AddColumn<bool>("OutcomeUnknown", "SmsMessages", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<DateTimeOffset>("FirstAttemptAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("LastAttemptAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("NextAttemptAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("LeaseUntil", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("FailedAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<int>("Delivery", "SmsMessages", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTimeOffset>("DeliveredAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.AddColumn<string>("DeliveryError", "SmsMessages", maxLength: 200, nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>("NextReceiptCheckAt", "SmsMessages", type: timestamp, nullable: true);
        migrationBuilder.CreateIndex("IX_SmsMessages_MobileNumber_SentAt", "SmsMessages", ["MobileNumber", "SentAt"]);
        migrationBuilder.CreateIndex("IX_SmsMessages_Delivery_NextReceiptCheckAt", "SmsMessages", ["Delivery", "NextReceiptCheckAt"]);

        migrationBuilder.AddColumn<string>("Kind", "InAppMessages", maxLength: 32, nullable: false, defaultValue: "notice");
        migrationBuilder.CreateIndex("IX_InAppMessages_CandidateId_ReadAt", "InAppMessages", ["CandidateId", "ReadAt"]);

        migrationBuilder.CreateTable(
            name: "SmsTemplates",
            columns: table => new
            {
                AreaCode = table.Column<string>(maxLength: 16, nullable: false),
                Template = table.Column<string>(maxLength: 64, nullable: false),
                ProviderTemplateCode = table.Column<string>(maxLength: 64, nullable: false),
                Body = table.Column<string>(maxLength: 500, nullable: false),
                UpdatedAt = table.Column<DateTimeOffset>(type: timestamp, nullable: true),
                UpdatedBy = table.Column<string>(maxLength: 200, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_SmsTemplates", x => new { x.AreaCode, x.Template }));

        // The built-in texts, for every area, until an operator loads an area's own. Literal here: a migration is a
        // snapshot, later edits of SmsTemplates.Kinds must not change what this one wrote.
        migrationBuilder.InsertData("SmsTemplates", ["AreaCode", "Template", "ProviderTemplateCode", "Body"], ["text", "text", "text", "text"], new object[,]
        {
            { "*", "review-returned", "SMS_EXR0001", "您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。" },
            { "*", "review-approved", "SMS_EXR0002", "您的医师资格考试报名材料已审核通过，请登陆报名网站查看。" },
            { "*", "review-rejected", "SMS_EXR0003", "您的医师资格考试报名材料审核未通过，请登陆报名网站查看审核意见。" },
            { "*", "review-deadline-reminder", "SMS_EXR0004", "您的医师资格考试报名材料尚有审核意见未处理，请于 ${deadline} 前登陆报名网站，访问报名材料上传页面，按要求修改后提交。" },
        });

        // Rows queued before this migration get the provider code of their template.
        foreach (var (template, code) in new[] { ("review-returned", "SMS_EXR0001"), ("review-approved", "SMS_EXR0002"), ("review-rejected", "SMS_EXR0003") })
        {
            migrationBuilder.Sql($"""UPDATE "SmsMessages" SET "TemplateCode" = '{code}' WHERE "Template" = '{template}' AND "TemplateCode" IS NULL""");
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("SmsTemplates");
        migrationBuilder.DropIndex("IX_InAppMessages_CandidateId_ReadAt", "InAppMessages");
        migrationBuilder.DropColumn("Kind", "InAppMessages");
        migrationBuilder.DropIndex("IX_SmsMessages_Delivery_NextReceiptCheckAt", "SmsMessages");
        migrationBuilder.DropIndex("IX_SmsMessages_MobileNumber_SentAt", "SmsMessages");
        foreach (var column in new[]
        {
            "SignName", "TemplateCode", "TemplateParams", "OutId", "OutcomeUnknown", "FirstAttemptAt", "LastAttemptAt", "NextAttemptAt",
            "LeaseUntil", "FailedAt", "Delivery", "DeliveredAt", "DeliveryError", "NextReceiptCheckAt",
        })
        {
            migrationBuilder.DropColumn(column, "SmsMessages");
        }
    }
}
