using System.Security.Cryptography;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data.Protection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// An ID number without an account (unknown, or not activated) must be indistinguishable from one with an account:
/// each test drives an <see cref="IdNumberThrottle"/> and a real <see cref="CandidateAccount"/> through the same
/// attempts at the same instants and compares every answer — code, status, both texts and the time to wait — and every
/// row each logs.
/// </summary>
public sealed class IdNumberThrottleTests
{
    private const string IdNumber = "37010219900307123X";
    private const string Mobile = "13912345678";
    private const string Password = "Yikao#2027";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    private static CandidateAccount Active()
    {
        var (account, outcome) = CandidateAccount.Activate(Guid.NewGuid(), "37", Password, IdNumber, Mobile, Hasher, T0);
        Assert.True(outcome.Succeeded);
        return account!;
    }

    private static IdNumberThrottle Throttle() => IdNumberThrottle.For(new string('a', 64));

    private static void AssertSameAnswer(AccountOutcome account, AccountOutcome throttle)
    {
        Assert.Equal(account.Refusal, throttle.Refusal); // a record: code, status, both texts and Retry-After
        // The same rows, to the account's audit log and to the number's attempt log: the same work on both paths, the
        // locked one included (where nothing is hashed and one extra row would be the whole difference in time).
        Assert.Equal(account.Events, throttle.Events);
        Assert.Null(throttle.Code); // nothing to text
    }

    [Fact]
    public void Wrong_passwords_lock_a_number_without_an_account_exactly_like_an_account_and_the_lock_ends_alike()
    {
        var (account, throttle) = (Active(), Throttle());
        var codes = new List<string>();
        foreach (var second in new[] { 0, 1, 2, 3, 4, 60, 600, 16 * 60, 16 * 60 + 1 })
        {
            var at = T0.AddSeconds(second);
            var answer = throttle.SignInWithPassword("Wrong#pass" + second, Hasher, Hasher.DecoyHash, at);
            AssertSameAnswer(account.SignInWithPassword("Wrong#pass" + second, Hasher, at), answer);
            codes.Add(answer.Refusal!.Code);
        }
        // Four 401s, the fifth locks for 15 minutes, attempts within the lock are 423 with the time left, then counting restarts.
        Assert.Equal([.. Enumerable.Repeat("invalid_credentials", 4), .. Enumerable.Repeat("account_locked", 3), "invalid_credentials", "invalid_credentials"], codes);
        Assert.False(throttle.IsLocked(T0.AddSeconds(16 * 60 + 2)));
        Assert.Equal(2, throttle.FailedAttempts);
    }

    [Fact]
    public void Every_attempt_refused_by_the_lock_is_logged_alike_one_row_each()
    {
        var (account, throttle) = (Active(), Throttle());
        for (var i = 0; i < AccountPolicy.MaxFailures; i++)
        {
            AssertSameAnswer(account.SignInWithPassword("Wrong#pass", Hasher, T0.AddSeconds(i)), throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0.AddSeconds(i)));
        }
        foreach (var password in new[] { Password, "Wrong#pass", "" })
        {
            var refused = throttle.SignInWithPassword(password, Hasher, Hasher.DecoyHash, T0.AddMinutes(5));
            AssertSameAnswer(account.SignInWithPassword(password, Hasher, T0.AddMinutes(5)), refused);
            var row = Assert.Single(refused.Events);
            Assert.Equal((AccountAuditKind.RefusedWhileLocked, $"password sign-in refused: locked until {T0.AddSeconds(4) + AccountPolicy.LockDuration:O}"), (row.Kind, row.Detail));
        }
    }

    [Fact]
    public void Empty_and_oversized_passwords_are_failures_for_both_alike()
    {
        var (account, throttle) = (Active(), Throttle());
        var passwords = new[] { null, "", new string('x', 257), null, "" };
        for (var i = 0; i < passwords.Length; i++)
        {
            AssertSameAnswer(account.SignInWithPassword(passwords[i], Hasher, T0.AddSeconds(i)), throttle.SignInWithPassword(passwords[i], Hasher, Hasher.DecoyHash, T0.AddSeconds(i)));
        }
        Assert.True(throttle.IsLocked(T0.AddSeconds(5)));
    }

    [Fact]
    public void A_repeated_reset_request_gets_the_same_cool_down_for_both_even_while_locked()
    {
        var (account, throttle) = (Active(), Throttle());
        foreach (var second in new[] { 0, 20, 59, 60, 61, 200 })
        {
            var at = T0.AddSeconds(second);
            AssertSameAnswer(account.RequestPasswordReset(at), throttle.RequestPasswordReset(at));
        }
        var refused = throttle.RequestPasswordReset(T0.AddSeconds(230));
        Assert.Equal(("code_recently_sent", 429, TimeSpan.FromSeconds(30)), (refused.Refusal!.Code, refused.Refusal.Status, refused.Refusal.RetryAfter));
        Assert.Contains("30 秒后", refused.Refusal.DetailZh, StringComparison.Ordinal);

        for (var i = 0; i < AccountPolicy.MaxFailures; i++)
        {
            account.SignInWithPassword("Wrong#pass", Hasher, T0.AddSeconds(300 + i));
            throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0.AddSeconds(300 + i));
        }
        Assert.True(account.IsLocked(T0.AddSeconds(310)) && throttle.IsLocked(T0.AddSeconds(310)));
        AssertSameAnswer(account.RequestPasswordReset(T0.AddSeconds(310)), throttle.RequestPasswordReset(T0.AddSeconds(310)));
        Assert.True(throttle.RequestPasswordReset(T0.AddSeconds(400)).Succeeded);
    }

    [Fact]
    public void Failures_older_than_the_window_stop_counting_for_both()
    {
        var (account, throttle) = (Active(), Throttle());
        for (var i = 0; i < AccountPolicy.MaxFailures - 1; i++)
        {
            AssertSameAnswer(account.SignInWithPassword("Wrong#pass", Hasher, T0.AddSeconds(i)), throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0.AddSeconds(i)));
        }
        var later = T0.AddSeconds(3) + AccountPolicy.FailureWindow;
        var afterADay = throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, later);
        Assert.Equal("invalid_credentials", afterADay.Refusal!.Code);
        AssertSameAnswer(account.SignInWithPassword("Wrong#pass", Hasher, later), afterADay);
    }

    [Fact]
    public void A_spent_row_answers_exactly_as_a_new_one_so_old_rows_need_no_cleanup()
    {
        var (spent, fresh) = (Throttle(), Throttle());
        for (var i = 0; i < AccountPolicy.MaxFailures + 1; i++)
        {
            spent.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0.AddSeconds(i));
        }
        spent.RequestPasswordReset(T0.AddSeconds(10));
        Assert.False(spent.IsSpent(T0.AddMinutes(10)));
        var later = T0.AddSeconds(5) + AccountPolicy.FailureWindow;
        Assert.True(spent.IsSpent(later));
        for (var i = 0; i < AccountPolicy.MaxFailures; i++)
        {
            var at = later.AddSeconds(i);
            Assert.Equal(fresh.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, at).Refusal, spent.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, at).Refusal);
        }
        Assert.Equal(fresh.RequestPasswordReset(later).Refusal, spent.RequestPasswordReset(later).Refusal);
    }

    [Fact]
    public void The_throttle_key_is_a_keyed_hash_of_the_normalised_number_apart_from_the_blind_index()
    {
        var protector = new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32));
        var key = protector.ThrottleKey(IdNumber);
        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, protector.ThrottleKey(" " + IdNumber.ToLowerInvariant() + " "));
        Assert.NotEqual(protector.Index(IdNumber), key);
        Assert.NotEqual(key, protector.ThrottleKey("37010219900307124X"));
        var otherKey = new IdNumberProtector(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32));
        Assert.NotEqual(key, otherKey.ThrottleKey(IdNumber));
    }
}
