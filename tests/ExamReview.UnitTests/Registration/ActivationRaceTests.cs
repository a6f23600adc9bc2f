using ExamReview.Registration.Accounts;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// A mobile change and an account activation of one candidate, interleaved by hand on the service's real migrations
/// (SQLite) the way their endpoints run them — load and decide, then commit. The change decided "no account, no password
/// needed"; an activation committing in between must make it lose (the contact endpoint answers
/// <c>409 registration_changed</c>) with nothing of it written, and its retry must ask for the new password.
/// </summary>
public sealed class ActivationRaceTests : RegistrationSqliteTest
{
    private const string Password = "Yikao#2027";
    private const string IdNumber = "43010219900307123X";
    private const string NewMobile = "13700001111";
    private static readonly DateTimeOffset T0 = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly PasswordHasher Hasher = new(new PasswordHashOptions { MemoryKiB = 1024, Iterations = 1, Parallelism = 1 });

    [Fact]
    public async Task A_mobile_change_decided_without_an_account_loses_to_an_activation_committed_in_between_and_writes_nothing()
    {
        var (candidateId, mobile) = await RegisterAsync();
        using var contactScope = CreateScope();
        var contact = Db(contactScope);

        // The contact change loads and decides: no account yet, so the session alone suffices.
        var registration = await contact.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        var account = await contact.Accounts().SingleOrDefaultAsync(a => a.CandidateId == candidateId);
        Assert.Null(account);
        var decided = registration.ChangeMobile(NewMobile, account, currentPassword: null, Hasher, T0);
        Assert.True(decided.Succeeded);
        contact.Publish(decided.Changed!);

        // Meanwhile the activation commits: the candidate now has a password.
        await ActivateAsync(candidateId, T0.AddSeconds(1));

        var lost = await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => contact.CommitAsync(CancellationToken.None));
        Assert.True(lost.IsLostRace()); // what ContactApi answers with 409 registration_changed (it read no account)

        using var readerScope = CreateScope();
        var reader = Db(readerScope);
        var stored = await reader.Registrations.AsNoTracking().SingleAsync(r => r.CandidateId == candidateId);
        Assert.Equal((mobile, 1), (stored.MobileNumber, stored.Version)); // the activation's version, the old number
        Assert.DoesNotContain(await reader.OutboxMessages.AsNoTracking().Select(m => m.MessageType).ToListAsync(),
            type => type.Contains(nameof(ExamReview.Contracts.CandidateContactChanged), StringComparison.Ordinal));

        // The retry reads the account, and the number no longer moves without its password.
        var retried = await reader.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        var created = await reader.Accounts().SingleAsync(a => a.CandidateId == candidateId);
        Assert.Equal("current_password_required", retried.ChangeMobile(NewMobile, created, null, Hasher, T0.AddSeconds(2)).Refusal!.Code);
        Assert.True(retried.ChangeMobile(NewMobile, created, Password, Hasher, T0.AddSeconds(3)).Succeeded);
        await reader.CommitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_activation_decided_before_a_mobile_change_committed_loses_and_its_retry_checks_the_password_against_the_new_number()
    {
        var (candidateId, _) = await RegisterAsync();
        using var activationScope = CreateScope();
        var activation = Db(activationScope);
        var registration = await activation.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        // A password built from the number about to be registered: still acceptable against the old one.
        var (account, outcome) = registration.ActivateAccount("Kq#700001zz", Hasher, T0);
        Assert.True(outcome.Succeeded);
        activation.Accounts().Add(account!);

        using (var contactScope = CreateScope())
        {
            var contact = Db(contactScope);
            var moving = await contact.Registrations.SingleAsync(r => r.CandidateId == candidateId);
            Assert.True(moving.ChangeMobile(NewMobile, null, null, Hasher, T0.AddSeconds(1)).Succeeded);
            await contact.CommitAsync(CancellationToken.None);
        }

        Assert.True((await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => activation.CommitAsync(CancellationToken.None))).IsLostRace());
        using var readerScope = CreateScope();
        var reader = Db(readerScope);
        Assert.False(await reader.Accounts().AnyAsync(a => a.CandidateId == candidateId)); // nothing of the activation written

        var retried = await reader.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        var (none, weak) = retried.ActivateAccount("Kq#700001zz", Hasher, T0.AddSeconds(2));
        Assert.Null(none);
        Assert.Equal("weak_password", weak.Refusal!.Code);
        Assert.Equal(1, retried.Version); // a refused activation moves nothing
    }

    [Fact]
    public async Task An_account_saved_without_its_registration_version_moving_is_refused_and_nothing_is_written()
    {
        var (candidateId, mobile) = await RegisterAsync();
        using var scope = CreateScope();
        var db = Db(scope);
        var (account, _) = CandidateAccount.Activate(candidateId, "43", Password, IdNumber, mobile, Hasher, T0);
        db.Accounts().Add(account!);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("registration's version", refused.Message, StringComparison.Ordinal);
        using var readerScope = CreateScope();
        Assert.False(await Db(readerScope).Accounts().AnyAsync(a => a.CandidateId == candidateId));
    }

    private static RegistrationDbContext Db(IServiceScope scope) => scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();

    private async Task<(Guid CandidateId, string Mobile)> RegisterAsync()
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var registration = TestRegistrations.New(IdNumber);
        db.Registrations.Add(registration);
        await db.SaveChangesAsync();
        return (registration.CandidateId, registration.MobileNumber);
    }

    private async Task ActivateAsync(Guid candidateId, DateTimeOffset now)
    {
        using var scope = CreateScope();
        var db = Db(scope);
        var registration = await db.Registrations.SingleAsync(r => r.CandidateId == candidateId);
        var (account, outcome) = registration.ActivateAccount(Password, Hasher, now);
        Assert.True(outcome.Succeeded);
        db.Accounts().Add(account!);
        await db.CommitAsync(CancellationToken.None);
    }
}
