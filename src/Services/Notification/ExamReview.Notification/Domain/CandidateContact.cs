using ExamReview.Contracts;

namespace ExamReview.Notification.Domain;

/// <summary>
/// The warning texted to the number a candidate's registration has just moved away from (an account-takeover alarm: the
/// owner of that phone learns of a change they may not have made). It names only the last four digits of the new number:
/// the old number may no longer be the candidate's, and the full new number would tell a stranger how to reach them.
/// </summary>
public sealed record MobileChangeNotice(Guid CandidateId, string AreaCode, string PreviousMobileNumber, int ContactVersion, IReadOnlyDictionary<string, string> Variables)
{
    public string Template => SmsTemplates.MobileChanged;

    /// <summary>The last four digits, all a notice ever shows of a number.</summary>
    public static string Tail(string mobileNumber) => mobileNumber.Length <= 4 ? new string('*', mobileNumber.Length) : mobileNumber[^4..];
}

/// <summary>
/// Notification's own copy of what it needs to reach a candidate (from CandidateContactChanged), kept at the highest
/// registration version seen; and the one place that decides when the previous number is warned of a change.
/// </summary>
public sealed class CandidateContact
{
    public Guid CandidateId { get; set; }
    public required string AreaCode { get; set; }
    public required string MobileNumber { get; set; }

    /// <summary>
    /// The registration's version the number is from (<see cref="CandidateContactChanged"/>): an older change never
    /// overwrites it. Also the row's concurrency token, so two changes of one candidate consumed at once cannot both
    /// decide from the same stored number (the later commit fails and is retried against the newer row).
    /// </summary>
    public int ContactVersion { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// What Notification does with a contact change, given the copy it holds (null: none yet). The first number it
    /// learns warns nobody (there is no previous number); otherwise <see cref="Apply"/> decides.
    /// </summary>
    public static (CandidateContact Contact, MobileChangeNotice? Notice) Learn(CandidateContact? known, CandidateContactChanged change, DateTimeOffset now)
    {
        if (known is null)
        {
            return (new CandidateContact
            {
                CandidateId = change.CandidateId,
                AreaCode = change.AreaCode,
                MobileNumber = change.MobileNumber,
                ContactVersion = change.ContactVersion,
                UpdatedAt = now,
            }, null);
        }
        return (known, known.Apply(change, now));
    }

    /// <summary>
    /// Takes a change of this candidate's contact. An older version changes nothing (a late retry must not bring an old
    /// number back). The same version refreshes the copy but warns nobody: its notice, if any, went out when that
    /// version first arrived, so a redelivered or re-published change never texts twice. A newer version that moves
    /// the number returns the notice for the previous number; one that keeps the number (an area move) returns none.
    /// </summary>
    public MobileChangeNotice? Apply(CandidateContactChanged change, DateTimeOffset now)
    {
        if (change.CandidateId != CandidateId)
        {
            throw new ArgumentException("The change is another candidate's.", nameof(change));
        }
        if (change.ContactVersion < ContactVersion)
        {
            return null;
        }
        var previous = MobileNumber;
        var newer = change.ContactVersion > ContactVersion;
        AreaCode = change.AreaCode;
        MobileNumber = change.MobileNumber;
        ContactVersion = change.ContactVersion;
        UpdatedAt = now;
        if (!newer || string.Equals(previous, change.MobileNumber, StringComparison.Ordinal))
        {
            return null;
        }
        return new MobileChangeNotice(CandidateId, change.AreaCode, previous, change.ContactVersion, new Dictionary<string, string>
        {
            [SmsTemplates.MobileTailVariable] = MobileChangeNotice.Tail(change.MobileNumber),
            // Registration's time of the change; a message from before it said so is dated by its arrival.
            [SmsTemplates.ChangedAtVariable] = ChinaTime.ToMinute(change.ChangedAt ?? now),
        });
    }
}
