using System.Text.Json;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Domain;
using ExamReview.UnitTests.Notification;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// The warning to a previous number, through Notification's real consumer on PostgreSQL and its dispatcher to the
/// provider stub: one SMS to the old number per change, naming only the new number's last four digits, however often
/// the change is delivered or published; none for the first number or a late older change.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MobileChangeNoticeTests(PostgresContainer postgres)
{
    [Fact]
    public async Task A_moved_number_is_warned_once_at_the_old_number_with_only_the_new_numbers_tail()
    {
        await using var rig = await SmsTestRig.StartAsync(postgresServer: postgres.ConnectionString);
        var candidateId = Guid.NewGuid();
        var (oldMobile, newMobile) = (NotificationScenario.NewMobile(), NotificationScenario.NewMobile());
        await rig.PublishAsync(new CandidateContactChanged(candidateId, "43", oldMobile, 0), NewId.NextGuid());
        Assert.Empty(await rig.SmsForAsync(candidateId)); // the registration's first number: nobody to warn

        var change = new CandidateContactChanged(candidateId, "43", newMobile, 3) { ChangedAt = new DateTimeOffset(2027, 3, 1, 10, 5, 0, TimeSpan.Zero) };
        var messageId = NewId.NextGuid();
        await rig.PublishAsync(change, messageId);
        await rig.PublishAsync(change, messageId); // redelivered
        await rig.PublishAsync(change, NewId.NextGuid()); // the same change published again
        await rig.PublishAsync(new CandidateContactChanged(candidateId, "43", oldMobile, 2), NewId.NextGuid()); // an older change, late

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal((SmsTemplates.MobileChanged, oldMobile, messageId, "SMS_EXR0006"), (sms.Template, sms.MobileNumber, sms.SourceMessageId, sms.TemplateCode));
        Assert.Equal(
            $"【湖南考区】您在医师资格考试网上报名系统登记的手机号已于 2027-03-01 18:05 变更为尾号 {newMobile[^4..]} 的号码。如非本人操作，请立即联系您报考的考点。",
            sms.Text);
        Assert.DoesNotContain(newMobile, sms.TemplateParams, StringComparison.Ordinal);
        var contact = await rig.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.CandidateId == candidateId));
        Assert.Equal((newMobile, 3), (contact.MobileNumber, contact.ContactVersion));

        // It goes out like every SMS: the dispatcher, the provider, the carrier's report.
        await rig.RunUntilAsync(async () => (await rig.SmsForAsync(candidateId)).Single().Delivery == SmsDeliveryState.Delivered, "the warning to be delivered");
        var received = Assert.Single(rig.Stub.For(oldMobile));
        Assert.Equal(("湖南考区", "SMS_EXR0006", sms.EffectiveOutId), (received.SignName, received.TemplateCode, received.OutId));
        var parameters = JsonDocument.Parse(received.TemplateParam!).RootElement;
        Assert.Equal(newMobile[^4..], parameters.GetProperty(SmsTemplates.MobileTailVariable).GetString());
        Assert.Equal("2027-03-01 18:05", parameters.GetProperty(SmsTemplates.ChangedAtVariable).GetString());
        Assert.DoesNotContain(newMobile, received.TemplateParam, StringComparison.Ordinal);
        Assert.Empty(rig.Stub.For(newMobile));
        // A security SMS, like a one-time code: nothing in the message centre, which whoever moved the number can read.
        Assert.Equal(0, await rig.WithDbAsync(db => db.InAppMessages.CountAsync(m => m.CandidateId == candidateId)));
    }

    [Fact]
    public async Task An_areas_own_template_for_the_warning_is_used_in_place_of_the_built_in_text()
    {
        await using var rig = await SmsTestRig.StartAsync(postgresServer: postgres.ConnectionString);
        await rig.WithDbAsync(db =>
        {
            db.SmsTemplates.Add(SmsTemplate.New(new SmsTemplateDraft("44", SmsTemplates.MobileChanged, "SMS_440006",
                "您的报名手机号已改为尾号 ${mobileTail} 的号码，如非本人操作请致电考点。")));
            return db.SaveChangesAsync();
        });
        var candidateId = Guid.NewGuid();
        var (oldMobile, newMobile) = (NotificationScenario.NewMobile(), NotificationScenario.NewMobile());
        await rig.AddContactAsync(candidateId, oldMobile, areaCode: "44");

        await rig.PublishAsync(new CandidateContactChanged(candidateId, "44", newMobile, 1), NewId.NextGuid());

        var sms = Assert.Single(await rig.SmsForAsync(candidateId));
        Assert.Equal((oldMobile, "SMS_440006"), (sms.MobileNumber, sms.TemplateCode));
        Assert.Equal($"【广东考区】您的报名手机号已改为尾号 {newMobile[^4..]} 的号码，如非本人操作请致电考点。", sms.Text);
        Assert.Equal($$"""{"mobileTail":"{{newMobile[^4..]}}"}""", sms.TemplateParams);
    }
}
