using ExamReview.Contracts;
using ExamReview.Registration.Accounts;

namespace ExamReview.Registration.Domain;

/// <summary>
/// What a mobile change did: the refusal, if any; the account-log events, recorded even on refusal (a wrong password
/// counts towards the lock); and, when the number moved, the message that tells the other services.
/// </summary>
public sealed record ContactChangeOutcome(AccountRefusal? Refusal, IReadOnlyList<AccountAuditEvent> Events, CandidateContactChanged? Changed = null)
{
    public bool Succeeded => Refusal is null;
}

public sealed partial class CandidateRegistration
{
    /// <summary>
    /// The candidate moves their registered mobile number — where review SMS go and, for an account, where sign-in and
    /// password-reset codes go. With a password account the current password is required first
    /// (<see cref="CandidateAccount.ConfirmPassword"/>): otherwise a stolen session could move the number and then reset
    /// the password to the new phone, taking the account over. The same number again changes nothing and needs nothing.
    /// On refusal the registration is untouched; the account may have counted a failure.
    /// </summary>
    /// <remarks>
    /// Why no step-up without an account: such a candidate — every candidate of an area that authorises through the
    /// registration system's hand-over (北京, "考生使用考试报名系统的账号进行授权"), and a password area's candidate before
    /// activation — has no password here to ask for. Their credential is the registration system's account, whose
    /// recovery is the registration system's; here this number opens nothing (a reset for an ID number without an
    /// account texts nobody), and seed 002 has them complete exactly these details right after the hand-over so that
    /// review SMS reach them. Asking for a secret they do not have would only shut them out; their session is what
    /// authorises everything they do, and the change is written to the account log like any other.
    /// <para>
    /// "No account" is a premise read before the commit: an activation committing in between must not let the change
    /// through without the password the candidate has just set. It cannot: <see cref="ActivateAccount"/> moves this
    /// row's <see cref="Version"/>, so a change decided on that premise loses its race (<c>409 registration_changed</c>).
    /// </para>
    /// </remarks>
    public ContactChangeOutcome ChangeMobile(string mobileNumber, CandidateAccount? account, string? currentPassword, PasswordHasher hasher, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(mobileNumber);
        if (account is not null && account.CandidateId != CandidateId)
        {
            throw new ArgumentException("The account is another candidate's.", nameof(account));
        }
        if (string.Equals(mobileNumber, MobileNumber, StringComparison.Ordinal))
        {
            return new ContactChangeOutcome(null, []);
        }
        var events = new List<AccountAuditEvent>();
        if (account is not null)
        {
            var confirmed = account.ConfirmPassword(currentPassword, "mobile change", hasher, now);
            if (confirmed.Refusal is not null)
            {
                return new ContactChangeOutcome(confirmed.Refusal, confirmed.Events);
            }
            events.AddRange(confirmed.Events);
            account.VoidPendingCode();
        }
        var previous = MobileNumber;
        MobileNumber = mobileNumber;
        UpdatedAt = now;
        Version++;
        events.Add(new AccountAuditEvent(AccountAuditKind.MobileChanged,
            $"mobile {AccountSessions.MaskMobile(previous)} -> {AccountSessions.MaskMobile(mobileNumber)}; other sessions ended"));
        return new ContactChangeOutcome(null, events, new CandidateContactChanged(CandidateId, AreaCode, MobileNumber, Version) { ChangedAt = now });
    }
}
