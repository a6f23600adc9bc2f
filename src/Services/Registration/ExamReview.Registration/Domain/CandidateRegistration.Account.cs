using ExamReview.Registration.Accounts;

namespace ExamReview.Registration.Domain;

public sealed partial class CandidateRegistration
{
    /// <summary>
    /// The candidate sets a password in a password-activation area, which creates their account
    /// (<see cref="CandidateAccount.Activate"/>, from this registration's area, ID number and mobile). On success the
    /// registration's <see cref="Version"/> moves too, and the endpoint commits both in one transaction.
    /// </summary>
    /// <remarks>
    /// Why the registration's version: whether a password account exists decides what <see cref="ChangeMobile"/> asks
    /// for (the current password, or nothing), and that decision is committed through this row's optimistic
    /// concurrency. An activation that wrote only the account table would leave the row as it was, so a contact change
    /// that had read "no account" before the activation committed would still commit afterwards — and move the number
    /// the new account's reset codes go to without the password it now has. Moving the version here makes that change
    /// lose its race (<c>409 registration_changed</c>) and the candidate retry, this time with the password asked for.
    /// The other way round — the contact change loading the account under a lock, or a serialisable transaction —
    /// would work differently on PostgreSQL and SQLite and would have to be remembered by every reader of the premise;
    /// this way the writer of the premise guarantees it once, and <see cref="Data.RegistrationDbContext"/> refuses to
    /// save an account added without it. The version is also the provinces' ETag, so theirs goes stale once, at
    /// activation (a feed row carries the new one); the data they see, and <see cref="UpdatedAt"/>, stay as they were.
    /// </remarks>
    public (CandidateAccount? Account, AccountOutcome Outcome) ActivateAccount(string? password, PasswordHasher hasher, DateTimeOffset now)
    {
        var (account, outcome) = CandidateAccount.Activate(CandidateId, AreaCode, password, IdNumber, MobileNumber, hasher, now);
        if (account is not null)
        {
            Version++;
        }
        return (account, outcome);
    }
}
