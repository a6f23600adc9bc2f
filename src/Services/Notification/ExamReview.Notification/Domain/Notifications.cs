namespace ExamReview.Notification.Domain;

/// <summary>Notification's own copy of what it needs to reach a candidate (from CandidateContactChanged).</summary>
public sealed class CandidateContact
{
    public Guid CandidateId { get; set; }
    public required string AreaCode { get; set; }
    public required string MobileNumber { get; set; }

    /// <summary>The registration's version the number is from (<see cref="Contracts.CandidateContactChanged"/>): an older change never overwrites it.</summary>
    public int ContactVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class AreaSender
{
    public required string AreaCode { get; set; }

    /// <summary>The 【考区单位名称】 that opens every SMS of the area (the provider's SignName).</summary>
    public required string SenderName { get; set; }
}

public static class InAppMessageKinds
{
    public const string Feedback = "feedback";
    public const string Decision = "decision";
    public const string Reminder = "reminder";
    public const string Notice = "notice";
}

public sealed class InAppMessage
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid SourceMessageId { get; set; }

    /// <summary>feedback (审核意见), decision, reminder or notice: the message centre groups and filters by it.</summary>
    public string Kind { get; set; } = InAppMessageKinds.Notice;

    public required string Title { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// An SMS template of one area (or of every area: <see cref="AnyArea"/>) for one event. The body is the text after
/// the 【sign】, with <c>${name}</c> variables as the provider's templates have; it was checked when it was loaded.
/// </summary>
public sealed class SmsTemplate
{
    public const string AnyArea = "*";

    public required string AreaCode { get; set; }
    public required string Template { get; set; }

    /// <summary>The provider's code for the same text (Alibaba's TemplateCode, e.g. SMS_123456789).</summary>
    public required string ProviderTemplateCode { get; set; }

    public required string Body { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
