namespace ExamReview.Contracts;

// ---- Registration → Notification: candidate accounts ----

/// <summary>
/// Texts a one-time code to the candidate's registered mobile (Notification knows it from CandidateContactChanged).
/// <see cref="Purpose"/> is <c>sign-in</c> or <c>password-reset</c>. The plain code exists only here, on its way to the
/// SMS; Registration keeps its salted hash. Sent through the outbox, so exactly one SMS per code even under redelivery.
/// </summary>
public sealed record SendOneTimeCode(Guid CandidateId, string AreaCode, Guid ChallengeId, string Purpose, string Code, DateTimeOffset ExpiresAt);

// ---- Registration → every instance of every other service: ended candidate sessions ----

/// <summary>
/// Candidate sessions (a platform token's <c>sid</c>) that ended at <see cref="EndedAt"/>: signing out everywhere, a
/// password reset or change, a mobile number change. Registration commits it through its outbox with the sessions' end;
/// every instance of every other service receives it on a queue of its own (not competing consumers) and refuses those
/// sessions at once, instead of when its cached answer expires. Ids only.
/// </summary>
public sealed record CandidateSessionsEnded(Guid CandidateId, IReadOnlyList<Guid> SessionIds, DateTimeOffset EndedAt);
