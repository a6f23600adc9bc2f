using System.Text.RegularExpressions;

namespace ExamReview.MaterialStorage.Domain;

public enum SubmissionMode
{
    /// <summary>提交审核 locks everything at once (上报完成，内容已锁定).</summary>
    Explicit = 0,

    /// <summary>Each upload is submitted at once and stays editable until a reviewer has reviewed it.</summary>
    Continuous = 1,
}

/// <summary>An operator's settings for an area, checked: what <see cref="AreaSettings.Apply"/> writes.</summary>
public sealed record AreaSettingsChange(SubmissionMode SubmissionMode, long MaxImageBytes);

/// <summary>
/// Per-area upload settings; an area without a row uses the defaults. An operator sets both values at once: a size
/// limit left out goes back to the default rather than keeping the previous one, so the form states the whole setting.
/// </summary>
public sealed partial class AreaSettings
{
    public const long DefaultMaxImageBytes = 200 * 1024;

    /// <summary>The range of size limits an operator may set.</summary>
    public const long MinImageBytes = 10 * 1024;

    public const long MaxImageBytesLimit = 10 * 1024 * 1024;

    public required string AreaCode { get; set; }
    public SubmissionMode SubmissionMode { get; set; } = SubmissionMode.Explicit;
    public long MaxImageBytes { get; set; } = DefaultMaxImageBytes;
    public DateTimeOffset UpdatedAt { get; set; }

    public static AreaSettings Default(string areaCode) => new() { AreaCode = areaCode };

    public static bool IsAreaCode(string areaCode) => AreaPattern().IsMatch(areaCode);

    /// <summary>The area of a settings read or write: a code of its own (the national "*" has no upload settings).</summary>
    public static Refusal? RefuseArea(string areaCode) =>
        new FieldRefusals().Require(IsAreaCode(areaCode), "areaCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits").ToRefusal();

    /// <summary>
    /// Checks an operator's settings for an area before anything is loaded: every wrong field at once, in the order
    /// the form lists them (area, mode, size limit). <paramref name="change"/> is meaningful only when nothing is refused.
    /// </summary>
    public static Refusal? RefuseChange(string areaCode, string? submissionMode, long? maxImageBytes, out AreaSettingsChange change)
    {
        var mode = submissionMode switch
        {
            "explicit" => SubmissionMode.Explicit,
            "continuous" => SubmissionMode.Continuous,
            _ => (SubmissionMode?)null,
        };
        change = new AreaSettingsChange(mode ?? SubmissionMode.Explicit, maxImageBytes ?? DefaultMaxImageBytes);
        return new FieldRefusals()
            .Require(IsAreaCode(areaCode), "areaCode", "应为 2 至 16 个字母或数字。", "must be 2 to 16 letters or digits")
            .Require(mode is not null, "submissionMode", "应为 explicit（提交审核）或 continuous（随传随审）。", "must be explicit or continuous")
            .Require(maxImageBytes is null or (>= MinImageBytes and <= MaxImageBytesLimit), "maxImageBytes", $"应为 {MinImageBytes} 到 {MaxImageBytesLimit} 字节。",
                $"must be from {MinImageBytes} to {MaxImageBytesLimit} bytes")
            .ToRefusal();
    }

    /// <summary>Writes a checked change; <see cref="UpdatedAt"/> moves so that open application pages see the new limits.</summary>
    public void Apply(AreaSettingsChange change, DateTimeOffset now)
    {
        SubmissionMode = change.SubmissionMode;
        MaxImageBytes = change.MaxImageBytes;
        UpdatedAt = now;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]{2,16}\z")]
    private static partial Regex AreaPattern();
}
