namespace ExamReview.Notification.Domain;

/// <summary>Where our side of an SMS stands. The carrier's verdict is <see cref="SmsDeliveryState"/>.</summary>
public enum SmsStatus
{
    /// <summary>Waiting to be sent (first time, after a failed attempt, or held back by a rate limit or an open circuit).</summary>
    Queued = 0,

    /// <summary>The provider accepted it.</summary>
    Sent = 1,

    // 2 is not used: delivery is its own column (SmsDeliveryState), so "Sent" stays what callers already read.

    /// <summary>Given up after its attempts, or refused by the provider for good: operators see it and may retry it.</summary>
    Failed = 3,
}

/// <summary>The carrier's delivery report for a sent SMS.</summary>
public enum SmsDeliveryState
{
    None = 0,
    Pending = 1,
    Delivered = 2,
    Undelivered = 3,

    /// <summary>No report arrived within the receipt window.</summary>
    Unknown = 4,
}

/// <summary>
/// One SMS per business event: (source message id, template) is unique, so redelivery cannot add a second;
/// <see cref="OutId"/> goes to the provider so that a resend after a crash can be recognised there. Its transitions
/// (Queued → Sent or Failed, the carrier's report, an operator's retry) are its own methods (SmsMessage.Transitions.cs).
/// </summary>
public sealed partial class SmsMessage
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid SourceMessageId { get; set; }
    public required string Template { get; set; }
    public required string MobileNumber { get; set; }

    /// <summary>The full text as the candidate reads it, 【sign】 included.</summary>
    public required string Text { get; set; }

    public string? SignName { get; set; }
    public string? TemplateCode { get; set; }

    /// <summary>The template's variables as a JSON object (the provider's TemplateParam).</summary>
    public string? TemplateParams { get; set; }

    /// <summary>Idempotency key sent to the provider; a new one only when an operator resends after a carrier failure.</summary>
    public string? OutId { get; set; }

    public SmsStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>Set before each provider call and cleared once its outcome is known: after a crash, ask the provider first.</summary>
    public bool OutcomeUnknown { get; set; }

    public string? ProviderMessageId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FirstAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// A dispatcher that claimed the row holds it until then: to send it, or to ask for its delivery report once sent
    /// (several replicas never send the same row at once, nor record its report twice).
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public SmsDeliveryState Delivery { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? DeliveryError { get; set; }
    public DateTimeOffset? NextReceiptCheckAt { get; set; }

    /// <summary>When the text stops meaning anything (a one-time code's lifetime); null: it never does.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public string EffectiveOutId => OutId ?? Id.ToString("N");

    /// <summary>
    /// A new SMS for the dispatcher: the text as the phone shows it (the area's 【sign】, then the template with its
    /// variables filled), the same variables as the provider's TemplateParam, and an OutId of its own.
    /// </summary>
    public static SmsMessage Queue(Guid candidateId, Guid sourceMessageId, string mobileNumber, AreaSender sender, SmsTemplate template,
        IReadOnlyDictionary<string, string> variables, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        return new SmsMessage
        {
            Id = id,
            CandidateId = candidateId,
            SourceMessageId = sourceMessageId,
            Template = template.Template,
            MobileNumber = mobileNumber,
            SignName = sender.SenderName,
            TemplateCode = template.ProviderTemplateCode,
            TemplateParams = SmsTemplates.ParamsJson(template.Body, variables),
            Text = SmsTemplates.Compose(sender.SenderName, SmsTemplates.Fill(template.Body, variables)),
            OutId = id.ToString("N"),
            Status = SmsStatus.Queued,
            CreatedAt = now,
        };
    }

    /// <summary>
    /// A one-time code past its lifetime is not sent, nor sent again: it would reach the phone when it no longer signs
    /// anyone in (after a rate limit, an open circuit or an operator's retry), and could only mislead.
    /// </summary>
    public bool HasExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>Rows written before the sign had its own column carry it only in the text.</summary>
    public string EffectiveSignName => SignName ?? (Text.StartsWith('【') && Text.IndexOf('】', StringComparison.Ordinal) is > 1 and var end ? Text[1..end] : "");
}
