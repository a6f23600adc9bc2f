using ExamReview.Registration.Accounts;

namespace ExamReview.UnitTests.Registration;

/// <summary>Issue 18: the account aggregate's rules — activation strength, lock-out, SMS codes, reset — decided and worded in the domain.</summary>
public sealed class CandidateAccountTests
{
    private const string IdNumber = "37010219900307123X";
    private const string Mobile = "13912345678";
    private const string Password = "Yikao#2027";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);

    // Cheap parameters keep the tests fast; the format and the rules are the same as production's.
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    private static CandidateAccount Active()
    {
        var (account, outcome) = CandidateAccount.Activate(Guid.NewGuid(), "37", Password, IdNumber, Mobile, Hasher, T0);
        Assert.True(outcome.Succeeded);
        return account!;
    }

    [Theory]
    [InlineData("", "请输入密码")]
    [InlineData("Ab1", "长度应为 8–64 个字符")]
    [InlineData("abcdefghij", "两类")]
    [InlineData("12345678", "过于简单")]
    [InlineData("aaaaaaaa1", "过于简单")]
    [InlineData("Password1", "过于简单")]
    [InlineData("x19900307y", "证件号码或手机号码")]
    [InlineData("pw12345678A", "证件号码或手机号码")]
    [InlineData("Yikao 2027", "空格")]
    // Pasted with an invisible character, typed in full-width (全角): neither can be typed the same on the next device.
    [InlineData("Yikao\u200B#2027", "不可见字符")]
    [InlineData("\uFEFFYikao#2027", "不可见字符")]
    [InlineData("Yikao#2027\u200D", "不可见字符")]
    [InlineData("Yikao#\uFF12\uFF10\uFF12\uFF17", "半角")]
    [InlineData("\uFF59\uFF49\uFF4B\uFF41\uFF4F\uFF03\uFF12\uFF10\uFF12\uFF17", "半角")]
    public void Activation_refuses_a_weak_password_and_says_why_in_Chinese(string password, string expected)
    {
        var (account, outcome) = CandidateAccount.Activate(Guid.NewGuid(), "37", password, IdNumber, "13912345678", Hasher, T0);
        Assert.Null(account);
        Assert.Equal("weak_password", outcome.Refusal!.Code);
        Assert.Equal(422, outcome.Refusal.Status);
        Assert.Contains(expected, outcome.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.StartsWith("密码不符合要求", outcome.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.DoesNotMatch("[\u4e00-\u9fff]", outcome.Refusal.DetailEn);
    }

    [Theory]
    [InlineData("密码密码密码2027")] // Chinese characters have no half-width twin: they stay allowed
    [InlineData("Yikao#2027")]
    [InlineData("yikao·2027")]
    public void Passwords_of_characters_typed_the_same_everywhere_are_accepted(string password)
    {
        var (account, outcome) = CandidateAccount.Activate(Guid.NewGuid(), "37", password, IdNumber, Mobile, Hasher, T0);
        Assert.True(outcome.Succeeded, outcome.Refusal?.DetailZh);
        Assert.NotNull(account);
    }

    [Fact]
    public void Activation_stores_a_versioned_Argon2id_hash_never_the_password_and_records_the_event()
    {
        var (account, outcome) = CandidateAccount.Activate(Guid.NewGuid(), "37", Password, IdNumber, Mobile, Hasher, T0);
        Assert.Equal(AccountAuditKind.Activated, Assert.Single(outcome.Events).Kind);
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", account!.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, account.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Events, e => e.Detail.Contains(Password, StringComparison.Ordinal));
        Assert.Equal(T0, account.ActivatedAt);
    }

    [Fact]
    public void Raised_hash_parameters_keep_old_hashes_verifying_and_ask_for_a_rehash()
    {
        var stored = Hasher.Hash(Password);
        var stronger = new PasswordHasher(new PasswordHashOptions { MemoryKiB = 2048, Iterations = 2, Parallelism = 1 });
        Assert.Equal(PasswordCheck.CorrectNeedsRehash, stronger.Verify(Password, stored));
        Assert.Equal(PasswordCheck.Wrong, stronger.Verify("Yikao#2028", stored));
        Assert.Equal(PasswordCheck.Correct, Hasher.Verify(Password, stored));
        Assert.Equal(PasswordCheck.Wrong, Hasher.Verify(Password, "$pbkdf2$whatever"));
        Assert.Equal(PasswordCheck.Wrong, Hasher.Verify("", stored));
        Assert.NotEqual(stored, Hasher.Hash(Password)); // salted
    }

    [Fact]
    public void The_right_password_sends_a_sign_in_code_and_the_right_code_signs_in()
    {
        var account = Active();
        var first = account.SignInWithPassword(Password, Hasher, T0);
        Assert.True(first.Succeeded);
        Assert.Equal([AccountAuditKind.PasswordAccepted, AccountAuditKind.CodeSent], first.Events.Select(e => e.Kind));
        var code = first.Code!;
        Assert.Matches("^[0-9]{6}$", code.Code);
        Assert.Equal(ChallengePurpose.SignIn, code.Purpose);
        Assert.DoesNotContain(code.Code, account.ChallengeCodeHash!, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Events, e => e.Detail.Contains(code.Code, StringComparison.Ordinal));

        var second = account.CompleteSignIn(code.ChallengeId, code.Code, T0.AddMinutes(1));
        Assert.True(second.Succeeded);
        Assert.Equal(AccountAuditKind.SignedIn, Assert.Single(second.Events).Kind);
        // A code is good once.
        Assert.Equal("code_invalid", account.CompleteSignIn(code.ChallengeId, code.Code, T0.AddMinutes(2)).Refusal!.Code);
    }

    [Fact]
    public void Five_wrong_passwords_lock_the_account_with_a_time_to_wait_and_the_lock_ends_on_its_own()
    {
        var account = Active();
        for (var i = 1; i < AccountPolicy.MaxFailures; i++)
        {
            var wrong = account.SignInWithPassword("Wrong#pass" + i, Hasher, T0.AddSeconds(i));
            Assert.Equal("invalid_credentials", wrong.Refusal!.Code);
            Assert.Equal(AccountAuditKind.PasswordFailed, Assert.Single(wrong.Events).Kind);
        }
        var locking = account.SignInWithPassword("Wrong#pass5", Hasher, T0.AddSeconds(5));
        Assert.Equal("account_locked", locking.Refusal!.Code);
        Assert.Equal(423, locking.Refusal.Status);
        Assert.Contains("15 分钟后再试", locking.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.Equal(AccountPolicy.LockDuration, locking.Refusal.RetryAfter);
        Assert.Contains(locking.Events, e => e.Kind == AccountAuditKind.LockedOut);

        // Even the right password is refused while locked, with the time still to wait.
        var whileLocked = account.SignInWithPassword(Password, Hasher, T0.AddMinutes(10));
        Assert.Equal("account_locked", whileLocked.Refusal!.Code);
        Assert.Contains("6 分钟后再试", whileLocked.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.Null(whileLocked.Code);
        Assert.Equal(AccountAuditKind.RefusedWhileLocked, Assert.Single(whileLocked.Events).Kind);

        var after = account.SignInWithPassword(Password, Hasher, T0.AddMinutes(16));
        Assert.True(after.Succeeded);
        Assert.NotNull(after.Code);
    }

    [Fact]
    public void Wrong_codes_count_towards_the_lock_and_an_expired_code_is_refused()
    {
        var account = Active();
        var code = account.SignInWithPassword(Password, Hasher, T0).Code!;
        var wrongCode = code.Code == "000000" ? "111111" : "000000";
        for (var i = 0; i < AccountPolicy.MaxFailures - 1; i++)
        {
            Assert.Equal("code_invalid", account.CompleteSignIn(code.ChallengeId, wrongCode, T0.AddSeconds(10 + i)).Refusal!.Code);
        }
        var locked = account.CompleteSignIn(code.ChallengeId, wrongCode, T0.AddSeconds(20));
        Assert.Equal("account_locked", locked.Refusal!.Code);
        // The lock also kills the pending sign-in code: the right code no longer works.
        Assert.Equal("account_locked", account.CompleteSignIn(code.ChallengeId, code.Code, T0.AddSeconds(21)).Refusal!.Code);

        var other = Active();
        var late = other.SignInWithPassword(Password, Hasher, T0).Code!;
        Assert.Equal("code_expired", other.CompleteSignIn(late.ChallengeId, late.Code, T0 + AccountPolicy.CodeLifetime).Refusal!.Code);
    }

    [Fact]
    public void Codes_are_not_resent_within_a_minute()
    {
        var account = Active();
        Assert.True(account.SignInWithPassword(Password, Hasher, T0).Succeeded);
        var again = account.SignInWithPassword(Password, Hasher, T0.AddSeconds(20));
        Assert.Equal("code_recently_sent", again.Refusal!.Code);
        Assert.Equal(429, again.Refusal.Status);
        Assert.Contains("40 秒后", again.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.True(account.RequestPasswordReset(T0.AddSeconds(61)).Succeeded);
    }

    [Fact]
    public void A_locked_candidate_resets_the_password_by_SMS_code_which_clears_the_lock()
    {
        var account = Active();
        for (var i = 0; i < AccountPolicy.MaxFailures; i++)
        {
            account.SignInWithPassword("Wrong#pass" + i, Hasher, T0.AddSeconds(i));
        }
        Assert.True(account.IsLocked(T0.AddMinutes(1)));

        var reset = account.RequestPasswordReset(T0.AddMinutes(1));
        Assert.True(reset.Succeeded);
        var code = reset.Code!;
        Assert.Equal(ChallengePurpose.PasswordReset, code.Purpose);
        // The reset code does not sign anyone in while the lock lasts.
        Assert.Equal("account_locked", account.CompleteSignIn(code.ChallengeId, code.Code, T0.AddMinutes(2)).Refusal!.Code);

        // A weak new password is refused without spending the code.
        var weak = account.ResetPassword(code.ChallengeId, code.Code, "12345678", IdNumber, Mobile, Hasher, T0.AddMinutes(2));
        Assert.Equal("weak_password", weak.Refusal!.Code);
        var done = account.ResetPassword(code.ChallengeId, code.Code, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddMinutes(3));
        Assert.True(done.Succeeded);
        Assert.Equal(AccountAuditKind.PasswordReset, Assert.Single(done.Events).Kind);
        Assert.False(account.IsLocked(T0.AddMinutes(3)));

        Assert.Equal("invalid_credentials", account.SignInWithPassword(Password, Hasher, T0.AddMinutes(5)).Refusal!.Code);
        Assert.True(account.SignInWithPassword("Shandong@2027", Hasher, T0.AddMinutes(6)).Succeeded);
    }

    [Fact]
    public void A_reset_code_allows_five_guesses_then_is_void()
    {
        var account = Active();
        var code = account.RequestPasswordReset(T0).Code!;
        var wrong = code.Code == "000000" ? "111111" : "000000";
        for (var i = 0; i < AccountPolicy.MaxCodeAttempts; i++)
        {
            Assert.Equal("code_invalid", account.ResetPassword(code.ChallengeId, wrong, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(i)).Refusal!.Code);
        }
        Assert.Equal("code_invalid", account.ResetPassword(code.ChallengeId, code.Code, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(10)).Refusal!.Code);
        Assert.False(account.IsLocked(T0.AddSeconds(10))); // reset guesses never lock the candidate out of resetting
    }

    [Fact]
    public void A_reset_to_the_current_password_is_refused_and_spends_a_guess_so_the_code_is_no_password_oracle()
    {
        var account = Active();
        var code = account.RequestPasswordReset(T0).Code!;

        var same = account.ResetPassword(code.ChallengeId, code.Code, Password, IdNumber, Mobile, Hasher, T0.AddMinutes(1));
        Assert.Equal(("password_unchanged", 422), (same.Refusal!.Code, same.Refusal.Status));
        Assert.StartsWith("新密码不能与当前密码相同", same.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.Contains("password_unchanged", Assert.Single(same.Events).Detail, StringComparison.Ordinal);
        Assert.Equal(T0, account.PasswordChangedAt);
        Assert.Equal(1, account.ChallengeAttempts);

        // The same code still sets a different password.
        Assert.True(account.ResetPassword(code.ChallengeId, code.Code, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddMinutes(2)).Succeeded);
    }

    [Fact]
    public void An_expired_reset_code_reads_as_a_wrong_one_outside_and_as_expired_in_the_audit()
    {
        var account = Active();
        var code = account.RequestPasswordReset(T0).Code!;

        var late = account.ResetPassword(code.ChallengeId, code.Code, "Shandong@2027", IdNumber, Mobile, Hasher, T0 + AccountPolicy.CodeLifetime);

        // An ID number without an account has a challenge that exists nowhere, which can only ever be wrong.
        Assert.Equal("code_invalid", late.Refusal!.Code);
        Assert.Contains("code_expired", Assert.Single(late.Events).Detail, StringComparison.Ordinal);
        Assert.Equal(T0, account.PasswordChangedAt); // set at activation, not changed since
    }

    [Fact]
    public void A_signed_in_candidate_changes_the_password_with_the_current_one()
    {
        var account = Active();
        var changed = account.ChangePassword(Password, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddMinutes(1));
        Assert.True(changed.Succeeded);
        Assert.Equal(AccountAuditKind.PasswordChanged, Assert.Single(changed.Events).Kind);
        Assert.Equal(T0.AddMinutes(1), account.PasswordChangedAt);
        Assert.DoesNotContain(changed.Events, e => e.Detail.Contains("Shandong", StringComparison.Ordinal));

        Assert.Equal("invalid_credentials", account.SignInWithPassword(Password, Hasher, T0.AddMinutes(2)).Refusal!.Code);
        Assert.True(account.SignInWithPassword("Shandong@2027", Hasher, T0.AddMinutes(3)).Succeeded);
    }

    [Fact]
    public void A_sign_in_begun_with_the_old_password_cannot_finish_after_the_change()
    {
        var account = Active();
        var code = account.SignInWithPassword(Password, Hasher, T0).Code!;
        Assert.True(account.ChangePassword(Password, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(30)).Succeeded);
        Assert.Equal("code_invalid", account.CompleteSignIn(code.ChallengeId, code.Code, T0.AddSeconds(40)).Refusal!.Code);
        // The next sign-in may text a code at once: the cleared one does not count towards the resend interval.
        Assert.True(account.SignInWithPassword("Shandong@2027", Hasher, T0.AddSeconds(45)).Succeeded);
    }

    [Fact]
    public void A_weak_or_unchanged_new_password_is_refused_without_counting_as_a_failure()
    {
        var account = Active();
        var weak = account.ChangePassword(Password, "12345678", IdNumber, Mobile, Hasher, T0);
        Assert.Equal(("weak_password", 422), (weak.Refusal!.Code, weak.Refusal.Status));
        var same = account.ChangePassword(Password, Password, IdNumber, Mobile, Hasher, T0);
        Assert.Equal(("password_unchanged", 422), (same.Refusal!.Code, same.Refusal.Status));
        Assert.StartsWith("新密码不能与当前密码相同", same.Refusal.DetailZh, StringComparison.Ordinal);
        Assert.Equal(0, account.FailedAttempts);
        Assert.True(account.SignInWithPassword(Password, Hasher, T0.AddSeconds(1)).Succeeded);
    }

    [Fact]
    public void A_password_change_without_the_current_password_is_refused_without_counting_so_a_careless_client_locks_nobody_out()
    {
        var account = Active();
        for (var i = 0; i < AccountPolicy.MaxFailures + 2; i++)
        {
            var missing = account.ChangePassword(i % 2 == 0 ? null : "", "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(i));
            Assert.Equal(("current_password_required", 422), (missing.Refusal!.Code, missing.Refusal.Status));
            // Worded for a password change: the text once asked for the password "to change the mobile number".
            Assert.StartsWith("修改密码须输入当前密码", missing.Refusal.DetailZh, StringComparison.Ordinal);
            Assert.DoesNotContain("手机号码", missing.Refusal.DetailZh, StringComparison.Ordinal);
            Assert.Empty(missing.Events);
        }
        Assert.Equal(0, account.FailedAttempts);
        Assert.True(account.SignInWithPassword(Password, Hasher, T0.AddMinutes(1)).Succeeded);
    }

    [Fact]
    public void Wrong_current_passwords_count_towards_the_lock_so_a_session_is_no_way_to_guess_the_password()
    {
        var account = Active();
        for (var i = 1; i < AccountPolicy.MaxFailures; i++)
        {
            var wrong = account.ChangePassword("Wrong#pass" + i, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(i));
            Assert.Equal(("current_password_wrong", 422), (wrong.Refusal!.Code, wrong.Refusal.Status));
            Assert.Contains("当前密码不正确", wrong.Refusal.DetailZh, StringComparison.Ordinal);
            Assert.Equal(AccountAuditKind.PasswordFailed, Assert.Single(wrong.Events).Kind);
        }
        var locking = account.ChangePassword("Wrong#pass5", "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddSeconds(5));
        Assert.Equal("account_locked", locking.Refusal!.Code);
        Assert.Contains(locking.Events, e => e.Kind == AccountAuditKind.LockedOut);

        // While locked even the right current password is refused, and so is a password sign-in.
        Assert.Equal("account_locked", account.ChangePassword(Password, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddMinutes(1)).Refusal!.Code);
        Assert.Equal("account_locked", account.SignInWithPassword(Password, Hasher, T0.AddMinutes(1)).Refusal!.Code);
        Assert.True(account.ChangePassword(Password, "Shandong@2027", IdNumber, Mobile, Hasher, T0.AddMinutes(16)).Succeeded);
    }
}
