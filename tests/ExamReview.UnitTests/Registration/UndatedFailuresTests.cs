using System.Security.Cryptography;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Failures counted before <c>LastFailedAt</c> existed, in a row the dating migration did not reach (written by a
/// replica still running the old code, restored from a backup): stored as such on the real SQLite migrations and read
/// back, because only a stored row can lack the time the domain always writes. They must not count for ever — a wrong
/// password months later used to lock the account at once — while dated failures keep counting for the window.
/// </summary>
public sealed class UndatedFailuresTests : RegistrationSqliteTest
{
    private const string Password = "Yikao#2027";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    [Fact]
    public async Task An_account_with_undated_failures_starts_counting_again_and_dates_its_new_failure()
    {
        var candidateId = await AccountWithFailuresAsync(4);
        await ExecuteAsync("UPDATE \"CandidateAccounts\" SET \"LastFailedAt\" = NULL");

        using var scope = CreateScope();
        var account = await Db(scope).Accounts().SingleAsync(a => a.CandidateId == candidateId);
        Assert.Equal((4, null), (account.FailedAttempts, account.LastFailedAt));

        var wrong = account.SignInWithPassword("Wrong#later", Hasher, T0.AddDays(90));
        Assert.Equal("invalid_credentials", wrong.Refusal!.Code); // not account_locked, as the fifth failure would be
        Assert.Equal("invalid_credentials; failure 1 of 5", Assert.Single(wrong.Events).Detail);
        Assert.Equal((1, T0.AddDays(90)), (account.FailedAttempts, account.LastFailedAt));
    }

    [Fact]
    public async Task Dated_failures_still_count_within_the_window()
    {
        var candidateId = await AccountWithFailuresAsync(4);
        using var scope = CreateScope();
        var account = await Db(scope).Accounts().SingleAsync(a => a.CandidateId == candidateId);
        Assert.Equal(T0.AddSeconds(3), account.LastFailedAt);

        Assert.Equal("account_locked", account.SignInWithPassword("Wrong#later", Hasher, T0.AddHours(23)).Refusal!.Code);
    }

    [Fact]
    public async Task A_throttle_with_undated_failures_is_spent_and_starts_counting_again()
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await ExecuteAsync($"INSERT INTO \"IdNumberThrottles\" (\"Key\", \"FailedAttempts\", \"Version\") VALUES ('{key}', 4, 1)");

        using var scope = CreateScope();
        var throttle = await Db(scope).IdNumberThrottles().SingleAsync(t => t.Key == key);
        Assert.True(throttle.IsSpent(T0));

        var wrong = throttle.SignInWithPassword("Wrong#later", Hasher, Hasher.DecoyHash, T0);
        Assert.Equal("invalid_credentials", wrong.Refusal!.Code);
        Assert.Equal((1, T0), (throttle.FailedAttempts, throttle.LastFailedAt));
    }

    private static RegistrationDbContext Db(IServiceScope scope) => scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();

    private async Task ExecuteAsync(string sql)
    {
        using var scope = CreateScope();
        await Db(scope).Database.ExecuteSqlRawAsync(sql);
    }

    // An activated account with `failures` wrong passwords, one a second from T0.
    private async Task<Guid> AccountWithFailuresAsync(int failures)
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var registration = TestRegistrations.New("43010219900307123X");
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        var (account, _) = registration.ActivateAccount(Password, Hasher, T0);
        db.Accounts().Add(account!);
        await db.SaveChangesAsync();
        for (var i = 0; i < failures; i++)
        {
            Assert.Equal("invalid_credentials", account!.SignInWithPassword($"Wrong#{i}pass", Hasher, T0.AddSeconds(i)).Refusal!.Code);
        }
        await db.SaveChangesAsync();
        return account!.CandidateId;
    }
}
