namespace ExamReview.Notification.Domain;

/// <summary>Notification's own copy of what it needs to reach a candidate (from CandidateContactChanged).</summary>
public sealed class CandidateContact
{
    public Guid CandidateId { get; set; }
    public required string AreaCode { get; set; }
    public required string MobileNumber { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class AreaSender
{
    public required string AreaCode { get; set; }

    /// <summary>The 【考区单位名称】 that opens every SMS of the area.</summary>
    public required string SenderName { get; set; }
}

public enum SmsStatus
{
    Queued = 0,
    Sent = 1,
    Delivered = 2,
    Failed = 3,
}

/// <summary>One SMS per business event: the source message id is unique, so redelivery cannot add a second.</summary>
public sealed class SmsMessage
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid SourceMessageId { get; set; }
    public required string Template { get; set; }
    public required string MobileNumber { get; set; }
    public required string Text { get; set; }
    public SmsStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

public sealed class InAppMessage
{
    public Guid Id { get; set; }
    public Guid CandidateId { get; set; }
    public Guid SourceMessageId { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

public static class SmsTemplates
{
    public const string Returned = "review-returned";
    public const string Approved = "review-approved";
    public const string Rejected = "review-rejected";

    /// <summary>The seeds' return notice, word for word, with the area's sender name.</summary>
    public static string Render(string template, string senderName) => template switch
    {
        Returned => $"【{senderName}】您的医师资格考试报名材料照片，有新的审核通知，请在 24 小时之内登陆报名网站，访问报名材料上传页面，查看消息并按要求处理。",
        Approved => $"【{senderName}】您的医师资格考试报名材料已审核通过，请登陆报名网站查看。",
        Rejected => $"【{senderName}】您的医师资格考试报名材料审核未通过，请登陆报名网站查看审核意见。",
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown SMS template"),
    };
}
