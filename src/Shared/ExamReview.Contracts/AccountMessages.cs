namespace ExamReview.Contracts;

// ---- Registration → Notification: candidate accounts ----

/// <summary>
/// Texts a one-time code to the candidate's registered mobile (Notification knows it from CandidateContactChanged).
/// <see cref="Purpose"/> is <c>sign-in</c> or <c>password-reset</c>. The plain code exists only here, on its way to the
/// SMS; Registration keeps its salted hash. Sent through the outbox, so exactly one SMS per code even under redelivery.
/// </summary>
public sealed record SendOneTimeCode(Guid CandidateId, string AreaCode, Guid ChallengeId, string Purpose, string Code, DateTimeOffset ExpiresAt);
