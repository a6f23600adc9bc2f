using System.Globalization;
using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// Registration's sign-in and password-reset codes: one SMS to the registered mobile per command (the inbox makes a
/// redelivery add nothing), no in-app message (the candidate is not signed in). The area's own template when an
/// operator loaded one, the built-in text otherwise. An expired code is not sent at all: it could only mislead.
/// </summary>
public sealed class SendOneTimeCodeConsumer(NotificationDbContext db, SmsDispatchSignal dispatch, TimeProvider clock, ILogger<SendOneTimeCodeConsumer> logger)
    : InboxConsumer<SendOneTimeCode, NotificationDbContext>(db, logger)
{
    /// <summary>What the stored text shows in place of the code.</summary>
    public const string HiddenCode = "******";

    protected override async Task HandleAsync(SendOneTimeCode message, Guid messageId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (message.ExpiresAt <= now)
        {
            return;
        }
        var contact = await Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.CandidateId == message.CandidateId, cancellationToken)
            ?? throw new InvalidOperationException($"No contact for candidate {message.CandidateId} yet; the message will be retried.");
        var (sender, template) = await SmsTemplateLookup.FindOrBuiltInAsync(Db, SmsTemplates.OneTimeCode, contact.AreaCode, cancellationToken)
            ?? throw new InvalidOperationException($"Area {contact.AreaCode} has no SMS sender name configured.");
        var body = template.Body;
        var variables = new Dictionary<string, string>
        {
            [SmsTemplates.CodeVariable] = message.Code,
            [SmsTemplates.MinutesVariable] = Math.Max(1, (int)Math.Round((message.ExpiresAt - now).TotalMinutes)).ToString(CultureInfo.InvariantCulture),
        };
        var id = Guid.CreateVersion7();
        Db.SmsMessages.Add(new SmsMessage
        {
            Id = id,
            CandidateId = message.CandidateId,
            SourceMessageId = messageId,
            Template = SmsTemplates.OneTimeCode,
            MobileNumber = contact.MobileNumber,
            SignName = sender.SenderName,
            TemplateCode = template.ProviderTemplateCode,
            TemplateParams = SmsTemplates.ParamsJson(body, variables),
            // The code travels in the provider's parameters only. The stored text is what operators read (GET /sms) and
            // what a log shows: with the code in it, reading it would be signing in as the candidate.
            Text = SmsTemplates.Compose(sender.SenderName, SmsTemplates.Fill(body, new Dictionary<string, string>(variables)
            {
                [SmsTemplates.CodeVariable] = HiddenCode,
            })),
            OutId = id.ToString("N"),
            Status = SmsStatus.Queued,
            CreatedAt = now,
            ExpiresAt = message.ExpiresAt,
        });
    }

    protected override void AfterCommit() => dispatch.Notify();
}
