namespace ExamReview.MaterialStorage.Domain;

/// <summary>Why a refusal happened, in the terms the API translates into an HTTP status.</summary>
public enum RefusalKind
{
    NotFound,
    Conflict,
    Unprocessable,
    TooLarge,
    UnsupportedFormat,
    /// <summary>Not there yet, but on its way: ask again shortly.</summary>
    NotYet,
}

/// <summary>
/// The aggregate's "no": a stable code, the Chinese text the candidate reads first and the English one for
/// clients that ask for it, and any facts the client needs to act (image ids, limits).
/// </summary>
public sealed record Refusal(
    RefusalKind Kind,
    string Code,
    string DetailZh,
    string DetailEn,
    IReadOnlyDictionary<string, object?>? Facts = null)
{
    /// <summary>For a <see cref="RefusalKind.NotYet"/>: when asking again makes sense.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// What an aggregate method decided: a refusal, or the messages (ExamReview.Contracts records) to publish
/// with the state change it made. Endpoints and consumers publish <see cref="Events"/> in the same commit.
/// </summary>
public sealed record Decision(Refusal? Refusal, IReadOnlyList<object> Events)
{
    public bool Refused => Refusal is not null;

    public static Decision Refuse(Refusal refusal) => new(refusal, []);

    public static Decision Accept(params object[] events) => new(null, events);

    public static implicit operator Decision(Refusal refusal) => Refuse(refusal);
}
