namespace ExamReview.Registration.Domain;

/// <summary>
/// Which registration holds a resident ID number in an exam year: one person registers once a year, and the sign-in and
/// password reset, which start from the number, reach that registration and no other. Keyed by the year and the
/// number's blind index (never the number), so two registrations racing for one number conflict on the key.
/// </summary>
/// <remarks>
/// A table of its own rather than a unique index on the registrations: databases written before the rule hold several
/// registrations of one number (the migration claims each number for its earliest registration and leaves the later
/// ones as they are, holding nothing — a unique index could not even be created there), and a staff correction moves a
/// registration's claim from its old number to its new one.
/// </remarks>
public sealed class IdNumberClaim
{
    public int ExamYear { get; set; }

    /// <summary>The blind index (HMAC) of the normalised number, as in the registrations' <c>IdNumberIndex</c>.</summary>
    public required string IdNumberIndex { get; set; }
    public Guid RegistrationId { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
}

/// <summary>The one-registration-per-number rule, decided from who holds the number in the registration's exam year.</summary>
public static class IdNumberHolding
{
    public const string RegisteredCode = "id_number_registered";
    public const string RegisteredZh = "该身份证号码已在本年度报名，如有疑问请联系考点。";
    public const string RegisteredEn = "This ID number is already registered for this exam year; contact the exam site if this is unexpected.";

    /// <summary>
    /// Refuses a number another registration of the year holds (<paramref name="holder"/>, null when nobody does) to
    /// <paramref name="registrationId"/>: the one being corrected, which may hold it already, or null for a new one.
    /// </summary>
    public static (string Code, string Zh, string En)? Refuse(Guid? holder, Guid? registrationId) =>
        holder is { } held && held != registrationId ? (RegisteredCode, RegisteredZh, RegisteredEn) : null;

    /// <summary>
    /// Who takes over a claim its holder gave up (a correction moved the holder to another number): of the
    /// <paramref name="waiting"/> registrations — the year's others that carry the number and hold nothing, copies written
    /// before the rule — the earliest (by creation, then id), which is the one the claims migration would have chosen
    /// had the holder carried its corrected number from the start. Handed on in the commit that releases it, so the
    /// number's own registration is reached by sign-in and reset again, and no newcomer can take the number meanwhile.
    /// Null when nobody waits: the number is free.
    /// </summary>
    public static IdNumberClaim? HandOn(IdNumberClaim released, IEnumerable<ClaimWaiter> waiting, DateTimeOffset at) =>
        waiting.Where(w => w.RegistrationId != released.RegistrationId)
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.RegistrationId).FirstOrDefault() is { } next
            ? new IdNumberClaim { ExamYear = released.ExamYear, IdNumberIndex = released.IdNumberIndex, RegistrationId = next.RegistrationId, ClaimedAt = at }
            : null;
}

/// <summary>A claim given up by a correction (<see cref="Released"/>) and the claim on the same number that another registration took over with it (<see cref="Taken"/>).</summary>
public sealed record ClaimHandedOn(IdNumberClaim Released, IdNumberClaim Taken)
{
    /// <summary>The <see cref="RegistrationCorrection.Field"/> of a hand-on's audit row.</summary>
    public const string Field = "idNumberClaim";

    /// <summary>What staff read as the field's name: 证件号码归属 (who the number reaches at sign-in).</summary>
    public const string FieldName = "证件号码归属";

    /// <summary>
    /// The audit row of the hand-on, in the correction's commit and among its rows: on the registration that took the
    /// claim (whose candidate's sign-in it now reaches), naming the one that gave it up as the old value and itself as
    /// the new one — by registration id, never the number — with the correction's reason, actor and time.
    /// </summary>
    public RegistrationCorrection Audit(Guid takerCandidateId, string reason, string actor) => new()
    {
        Id = Guid.CreateVersion7(),
        RegistrationId = Taken.RegistrationId,
        CandidateId = takerCandidateId,
        Field = Field,
        OldValue = Released.RegistrationId.ToString(),
        NewValue = Taken.RegistrationId.ToString(),
        Reason = reason,
        CorrectedBy = actor,
        CorrectedAt = Taken.ClaimedAt,
    };
}

/// <summary>A registration that carries a number it does not hold (<see cref="IdNumberHolding.HandOn"/>): its id and when it was made.</summary>
public sealed record ClaimWaiter(Guid RegistrationId, DateTimeOffset CreatedAt);
