namespace ExamReview.MaterialStorage.Domain;

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
