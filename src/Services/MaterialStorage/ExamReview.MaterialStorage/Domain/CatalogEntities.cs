namespace ExamReview.MaterialStorage.Domain;

/// <summary>
/// One uploaded version of a material catalog (JSON, checked at upload). Versions are never changed;
/// the highest version of (exam year, area) is in force. <see cref="NationalArea"/> is the default for
/// every area of that year that has no catalog of its own.
/// </summary>
public sealed class CatalogVersion
{
    public const string NationalArea = "*";

    public Guid Id { get; set; }
    public int ExamYear { get; set; }
    public required string AreaCode { get; set; }
    public int Version { get; set; }
    public required string Document { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum SubmissionMode
{
    /// <summary>提交审核 locks everything at once (上报完成，内容已锁定).</summary>
    Explicit = 0,

    /// <summary>Each upload is submitted at once and stays editable until a reviewer has reviewed it.</summary>
    Continuous = 1,
}

/// <summary>Per-area upload settings; an area without a row uses the defaults.</summary>
public sealed class AreaSettings
{
    public const long DefaultMaxImageBytes = 200 * 1024;

    public required string AreaCode { get; set; }
    public SubmissionMode SubmissionMode { get; set; } = SubmissionMode.Explicit;
    public long MaxImageBytes { get; set; } = DefaultMaxImageBytes;
    public DateTimeOffset UpdatedAt { get; set; }

    public static AreaSettings Default(string areaCode) => new() { AreaCode = areaCode };
}

/// <summary>MaterialStorage's copy of the candidate's profile facts (owned by Registration, see CandidateProfileChanged).</summary>
public sealed class CandidateProfileCopy
{
    public Guid CandidateId { get; set; }
    public required string FactsJson { get; set; }

    /// <summary>Registration's profile version: an older event arriving late never overwrites a newer copy.</summary>
    public int ProfileVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A hand-over authorisation that has been exchanged for a session: its id can never be used again.</summary>
public sealed class RedeemedHandover
{
    public Guid TokenId { get; set; }
    public Guid CandidateId { get; set; }
    public DateTimeOffset RedeemedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
