using ExamReview.Registration.Accounts;
using ExamReview.Registration.Domain;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Moving the mobile number (where reset codes go) needs the current password when the candidate has a password
/// account; its failures share the sign-in lock-out; a candidate who comes only through the hand-over needs none.
/// </summary>
public sealed class ContactChangeTests
{
    private const string IdNumber = "37010219900307123X";
    private const string Mobile = "13912345678";
    private const string NewMobile = "13700001111";
    private const string Password = "Yikao#2027";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    private static CandidateRegistration Registration() => new()
    {
        Id = Guid.NewGuid(),
        CandidateId = Guid.NewGuid(),
        RegistrationNumber = "20273700000001",
        ExamYear = 2027,
        AreaCode = "37",
        SiteCode = "3701",
        ExamCategory = "practitioner-clinical",
        FullName = "李四",
        IdNumber = IdNumber,
        MobileNumber = Mobile,
        Version = 3,
    };

    private static CandidateAccount AccountOf(CandidateRegistration registration)
    {
        var (account, outcome) = CandidateAccount.Activate(registration.CandidateId, "37", Password, IdNumber, Mobile, Hasher, T0);
        Assert.True(outcome.Succeeded);
        return account!;
    }

    private static void AssertUntouched(CandidateRegistration registration, ContactChangeOutcome outcome)
    {
        Assert.Null(outcome.Changed);
        Assert.Equal((Mobile, 3), (registration.MobileNumber, registration.Version));
        Assert.DoesNotContain(outcome.Events, e => e.Kind == AccountAuditKind.MobileChanged);
    }

    [Fact]
    public void A_code_texted_to_the_old_number_no_longer_works_once_the_number_moved()
    {
        var registration = Registration();
        var account = AccountOf(registration);
        var code = account.RequestPasswordReset(T0).Code!;

        Assert.True(registration.ChangeMobile(NewMobile, account, Password, Hasher, T0.AddMinutes(1)).Succeeded);

        var refused = account.ResetPassword(code.ChallengeId, code.Code, "Shandong@2027", IdNumber, NewMobile, Hasher, T0.AddMinutes(2));
        Assert.Equal("code_invalid", refused.Refusal!.Code);
        Assert.Equal(T0, account.PasswordChangedAt); // the password is the one it was
    }

    [Fact]
    public void With_a_password_account_the_current_password_moves_the_number_and_the_message_carries_the_new_version()
    {
        var registration = Registration();
        var account = AccountOf(registration);
        account.SignInWithPassword("Wrong#pass", Hasher, T0); // an earlier failure, cleared by the confirmed password

        var outcome = registration.ChangeMobile(NewMobile, account, Password, Hasher, T0.AddMinutes(1));
        Assert.True(outcome.Succeeded);
        Assert.Equal((NewMobile, 4, T0.AddMinutes(1)), (registration.MobileNumber, registration.Version, registration.UpdatedAt));
        Assert.Equal(new ExamReview.Contracts.CandidateContactChanged(registration.CandidateId, "37", NewMobile, 4) { ChangedAt = T0.AddMinutes(1) }, outcome.Changed);
        var changed = Assert.Single(outcome.Events);
        Assert.Equal(AccountAuditKind.MobileChanged, changed.Kind);
        Assert.Contains("139****5678", changed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(NewMobile, changed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, changed.Detail, StringComparison.Ordinal);
        Assert.Equal(0, account.FailedAttempts);
    }

    [Fact]
    public void A_missing_password_is_refused_without_counting_and_changes_nothing()
    {
        var registration = Registration();
        var account = AccountOf(registration);
        foreach (var missing in new[] { null, "" })
        {
            var outcome = registration.ChangeMobile(NewMobile, account, missing, Hasher, T0);
            Assert.Equal(("current_password_required", 422), (outcome.Refusal!.Code, outcome.Refusal.Status));
            Assert.StartsWith("修改手机号码须输入当前登录密码", outcome.Refusal.DetailZh, StringComparison.Ordinal);
            AssertUntouched(registration, outcome);
        }
        Assert.Equal(0, account.FailedAttempts);
    }

    [Fact]
    public void Wrong_passwords_count_towards_the_sign_in_lock_and_the_lock_refuses_even_the_right_one()
    {
        var registration = Registration();
        var account = AccountOf(registration);
        for (var i = 1; i <= 3; i++)
        {
            var wrong = registration.ChangeMobile(NewMobile, account, "Wrong#pass" + i, Hasher, T0.AddSeconds(i));
            Assert.Equal(("current_password_wrong", 422), (wrong.Refusal!.Code, wrong.Refusal.Status));
            Assert.Equal(AccountAuditKind.PasswordFailed, Assert.Single(wrong.Events).Kind);
            AssertUntouched(registration, wrong);
        }
        // The same count as sign-in: one wrong sign-in, then the fifth failure here locks.
        Assert.Equal("invalid_credentials", account.SignInWithPassword("Wrong#pass4", Hasher, T0.AddSeconds(4)).Refusal!.Code);
        var locking = registration.ChangeMobile(NewMobile, account, "Wrong#pass5", Hasher, T0.AddSeconds(5));
        Assert.Equal(("account_locked", 423), (locking.Refusal!.Code, locking.Refusal.Status));
        Assert.Contains(locking.Events, e => e.Kind == AccountAuditKind.LockedOut);
        AssertUntouched(registration, locking);

        var whileLocked = registration.ChangeMobile(NewMobile, account, Password, Hasher, T0.AddMinutes(1));
        Assert.Equal("account_locked", whileLocked.Refusal!.Code);
        Assert.Equal(AccountAuditKind.RefusedWhileLocked, Assert.Single(whileLocked.Events).Kind);
        AssertUntouched(registration, whileLocked);
        Assert.Equal("account_locked", account.SignInWithPassword(Password, Hasher, T0.AddMinutes(1)).Refusal!.Code);

        Assert.True(registration.ChangeMobile(NewMobile, account, Password, Hasher, T0.AddMinutes(16)).Succeeded);
    }

    [Fact]
    public void Without_an_account_the_session_is_enough_and_the_change_is_still_logged()
    {
        var registration = Registration();
        var outcome = registration.ChangeMobile(NewMobile, null, null, Hasher, T0);
        Assert.True(outcome.Succeeded);
        Assert.Equal(NewMobile, registration.MobileNumber);
        Assert.Equal(4, outcome.Changed!.ContactVersion);
        Assert.Equal(AccountAuditKind.MobileChanged, Assert.Single(outcome.Events).Kind);
    }

    [Fact]
    public void The_same_number_again_changes_nothing_and_asks_for_nothing()
    {
        var registration = Registration();
        var account = AccountOf(registration);
        var outcome = registration.ChangeMobile(Mobile, account, "Wrong#pass", Hasher, T0);
        Assert.True(outcome.Succeeded);
        AssertUntouched(registration, outcome);
        Assert.Empty(outcome.Events);
        Assert.Equal(0, account.FailedAttempts);
    }

    [Fact]
    public void Activating_an_account_moves_the_registrations_version_and_a_refused_activation_moves_nothing()
    {
        // The contact change commits through this version: an account appearing must move it (ActivationRaceTests).
        var registration = Registration();
        var (none, weak) = registration.ActivateAccount("12345678", Hasher, T0);
        Assert.Null(none);
        Assert.Equal("weak_password", weak.Refusal!.Code);
        Assert.Equal(3, registration.Version);

        var (account, outcome) = registration.ActivateAccount(Password, Hasher, T0);
        Assert.True(outcome.Succeeded);
        Assert.Equal((registration.CandidateId, "37"), (account!.CandidateId, account.AreaCode));
        // The version moves; the registration's data, and when it last changed, do not.
        Assert.Equal((4, default(DateTimeOffset), Mobile), (registration.Version, registration.UpdatedAt, registration.MobileNumber));
    }

    [Fact]
    public void Another_candidates_account_is_a_programming_error()
    {
        var registration = Registration();
        var stranger = AccountOf(Registration());
        Assert.Throws<ArgumentException>(() => registration.ChangeMobile(NewMobile, stranger, Password, Hasher, T0));
    }
}
