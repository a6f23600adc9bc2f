using System.Security.Cryptography;
using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// Racing writes to one account, on the service's real migrations (SQLite): every write moves the account's version on,
/// so of two attempts that read the same state only the first commits. Without that, wrong passwords sent in parallel
/// would each count from the same failure count and outrun the lock-out.
/// </summary>
public sealed class AccountConcurrencyTests : RegistrationSqliteTest
{
    private const string Password = "Yikao#2027";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    [Fact]
    public async Task Two_wrong_passwords_read_at_once_do_not_both_commit_and_each_commit_moves_the_version()
    {
        var candidateId = await ActivateAsync();
        using var first = CreateScope();
        using var second = CreateScope();
        var a = first.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var b = second.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var accountA = await a.Accounts().SingleAsync(x => x.CandidateId == candidateId);
        var accountB = await b.Accounts().SingleAsync(x => x.CandidateId == candidateId);

        Assert.Equal("invalid_credentials", accountA.SignInWithPassword("Wrong#pass1", Hasher, T0).Refusal!.Code);
        Assert.Equal("invalid_credentials", accountB.SignInWithPassword("Wrong#pass2", Hasher, T0).Refusal!.Code);
        await a.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());

        using var reader = CreateScope();
        var stored = await reader.ServiceProvider.GetRequiredService<RegistrationDbContext>().Accounts().AsNoTracking().SingleAsync(x => x.CandidateId == candidateId);
        Assert.Equal(1, stored.FailedAttempts);
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task A_password_change_and_a_sign_in_read_at_once_do_not_both_commit()
    {
        var candidateId = await ActivateAsync();
        using var first = CreateScope();
        using var second = CreateScope();
        var a = first.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var b = second.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var changing = await a.Accounts().SingleAsync(x => x.CandidateId == candidateId);
        var signingIn = await b.Accounts().SingleAsync(x => x.CandidateId == candidateId);

        Assert.True(changing.ChangePassword(Password, "Shandong@2027", "37010219900307123X", "13912345678", Hasher, T0).Succeeded);
        Assert.True(signingIn.SignInWithPassword(Password, Hasher, T0).Succeeded);
        await a.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
    }

    [Fact]
    public async Task Two_first_attempts_for_one_number_without_an_account_collide_on_its_key_as_a_lost_race()
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using var first = CreateScope();
        using var second = CreateScope();
        var a = first.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var b = second.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        foreach (var db in new[] { a, b })
        {
            var throttle = IdNumberThrottle.For(key);
            Assert.Equal("invalid_credentials", throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0).Refusal!.Code);
            db.IdNumberThrottles().Add(throttle);
        }
        await a.SaveChangesAsync();
        var lost = await Assert.ThrowsAnyAsync<DbUpdateException>(() => b.SaveChangesAsync());
        Assert.True(ExamReview.ServiceDefaults.Persistence.WriteConflicts.IsLostRace(lost));
    }

    [Fact]
    public async Task Two_wrong_passwords_for_one_number_without_an_account_read_at_once_do_not_both_commit()
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using (var setup = CreateScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var throttle = IdNumberThrottle.For(key);
            throttle.SignInWithPassword("Wrong#pass", Hasher, Hasher.DecoyHash, T0);
            db.IdNumberThrottles().Add(throttle);
            await db.SaveChangesAsync();
        }
        using var first = CreateScope();
        using var second = CreateScope();
        var a = first.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var b = second.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var throttleA = await a.IdNumberThrottles().SingleAsync(t => t.Key == key);
        var throttleB = await b.IdNumberThrottles().SingleAsync(t => t.Key == key);
        throttleA.SignInWithPassword("Wrong#pass2", Hasher, Hasher.DecoyHash, T0.AddSeconds(1));
        throttleB.SignInWithPassword("Wrong#pass3", Hasher, Hasher.DecoyHash, T0.AddSeconds(1));
        await a.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());

        using var reader = CreateScope();
        var stored = await reader.ServiceProvider.GetRequiredService<RegistrationDbContext>().IdNumberThrottles().AsNoTracking().SingleAsync(t => t.Key == key);
        Assert.Equal((2, 2), (stored.FailedAttempts, stored.Version));
    }

    private async Task<Guid> ActivateAsync()
    {
        using var scope = CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        // As the activation endpoint does: the account comes from the registration, whose version moves with it.
        var registration = TestRegistrations.New("37010219900307123X");
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        var (account, outcome) = registration.ActivateAccount(Password, Hasher, T0);
        Assert.True(outcome.Succeeded);
        db.Accounts().Add(account!);
        await db.SaveChangesAsync();
        return account!.CandidateId;
    }
}
