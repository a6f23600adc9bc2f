namespace ExamReview.Notification.Domain;

/// <summary>
/// An area's SMS sender. An operator sets the name as the provider registered it; it is checked first (every error
/// under its field's name, empty: accepted) and stored without the spaces around it.
/// </summary>
public sealed class AreaSender
{
    public required string AreaCode { get; set; }

    /// <summary>The 【考区单位名称】 that opens every SMS of the area (the provider's SignName).</summary>
    public required string SenderName { get; set; }

    public static IReadOnlyDictionary<string, TemplateProblem[]> Check(string areaCode, string? senderName)
    {
        var name = senderName?.Trim();
        var errors = new Dictionary<string, List<TemplateProblem>>(StringComparer.Ordinal);
        void Require(bool condition, string field, string zh, string en)
        {
            if (!condition)
            {
                (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(new(zh, en));
            }
        }
        Require(areaCode.Length is >= 2 and <= 16 && areaCode.All(char.IsAsciiLetterOrDigit), "areaCode", "应为 2–16 个字母或数字。", "must be 2-16 letters or digits");
        Require(name is { Length: >= 2 and <= 20 }, "senderName", "应为 2–20 个字。", "must be 2-20 characters");
        // The 【】 are added around the name when a text is composed (SmsTemplates.Compose): inside it they would show twice.
        Require(name is null || !(name.Contains('【', StringComparison.Ordinal) || name.Contains('】', StringComparison.Ordinal)), "senderName",
            "只填【】里面的文字，不含括号。", "is the text inside 【】, without the brackets");
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The sender a new area starts with: its name, when that name is one a sender may have (<see cref="Check"/>); else
    /// none, and an operator sets it. An area's name may be 100 characters or hold 【】: taken as it was, the column
    /// (64) refused it on PostgreSQL, so the announcement failed and the area never became known here, or every SMS of the
    /// area went out under a sign the provider refuses (【【湖南】】).
    /// </summary>
    public static AreaSender? FromAreaName(string areaCode, string areaName) =>
        Check(areaCode, areaName).Count == 0 ? New(areaCode, areaName) : null;

    /// <summary>An area's first sender; the name passed <see cref="Check"/>.</summary>
    public static AreaSender New(string areaCode, string senderName) => new() { AreaCode = areaCode, SenderName = senderName.Trim() };

    /// <summary>The area's sender under a checked new name.</summary>
    public void Rename(string senderName) => SenderName = senderName.Trim();
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
