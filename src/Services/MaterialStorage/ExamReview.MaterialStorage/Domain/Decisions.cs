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

    /// <summary>Fields of the request are missing or wrong (<see cref="Refusal.Fields"/> names each): a 400 validation problem.</summary>
    InvalidField,
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

    /// <summary>The English version of facts that hold text (a catalog's per-path messages), for clients that ask for English.</summary>
    public IReadOnlyDictionary<string, object?>? FactsEn { get; init; }

    /// <summary>For a <see cref="RefusalKind.InvalidField"/>: each wrong field, in the order the rule checks them.</summary>
    public IReadOnlyList<FieldRefusal> Fields { get; init; } = [];
}

/// <summary>What is wrong with one field of a request, in Chinese and English.</summary>
public sealed record FieldRefusal(string Field, string DetailZh, string DetailEn);

/// <summary>
/// Collects what is wrong with a request's fields, in the order checked, so that one answer lists every mistake;
/// <see cref="ToRefusal"/> is null when nothing is.
/// </summary>
public sealed class FieldRefusals
{
    private readonly List<FieldRefusal> _fields = [];

    public FieldRefusals Require(bool condition, string field, string detailZh, string detailEn)
    {
        if (!condition)
        {
            _fields.Add(new FieldRefusal(field, detailZh, detailEn));
        }
        return this;
    }

    public Refusal? ToRefusal() => _fields.Count == 0
        ? null
        : new Refusal(RefusalKind.InvalidField, "validation", string.Join("；", _fields.Select(f => $"{f.Field}：{f.DetailZh}")),
            string.Join("; ", _fields.Select(f => $"{f.Field}: {f.DetailEn}"))) { Fields = _fields.ToList() };
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
