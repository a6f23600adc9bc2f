using ExamReview.IntegrationTests.Platform;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// One registration holds an ID number per exam year (<see cref="IdNumberClaim"/>). A database written before the rule
/// holds several registrations of one number: the migration claims each number for its earliest registration, without
/// failing, and sign-in resolves the number to that holder whatever order the rows come back in.
/// </summary>
public sealed class IdNumberClaimTests : RegistrationSqliteTest
{
    private const string BeforeClaims = "AccountsIdNumberThrottles";
    private static readonly DateTimeOffset T0 = new(2027, 1, 5, 2, 0, 0, TimeSpan.Zero);
    protected override string? MigrateTo => BeforeClaims;

    [Fact]
    public async Task The_migration_claims_each_number_for_its_earliest_registration_and_sign_in_resolves_to_it()
    {
        var copied = TestIdNumbers.New("43");
        var own = TestIdNumbers.New("43");
        // Written before the rule: the copy was created after the original, though its id sorts first.
        var copy = await AddAsync(copied, T0.AddMinutes(5), Guid.Parse("00000000-0000-7000-8000-000000000001"));
        var original = await AddAsync(copied, T0, Guid.CreateVersion7());
        var nextYear = await AddAsync(copied, T0.AddMinutes(9), Guid.CreateVersion7(), examYear: 2028);
        var alone = await AddAsync(own, T0.AddMinutes(7), Guid.CreateVersion7());

        await using (var scope = CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
        }

        await using var reader = CreateAsyncScope();
        var db = reader.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var claims = (await db.IdNumberClaims.AsNoTracking().ToListAsync()).Select(c => (c.ExamYear, c.RegistrationId)).Order().ToList();
        Assert.Equal(new[] { (2027, original), (2027, alone), (2028, nextYear) }.Order().ToList(), claims);
        Assert.Equal(original, await db.IdNumberHolderAsync(2027, copied.ToLowerInvariant(), CancellationToken.None));
        Assert.Null(await db.IdNumberHolderAsync(2026, copied, CancellationToken.None));
        // The copy still reads (and staff can correct it to the candidate's real number), but holds nothing.
        Assert.Equal(3, await db.RegistrationsWithIdNumber(copied).CountAsync());
        Assert.DoesNotContain(copy, await db.RegistrationsHoldingIdNumber(copied).Select(r => r.Id).ToListAsync());
        // Sign-in takes the first holder: the latest exam year's.
        Assert.Equal(nextYear, (await db.RegistrationsHoldingIdNumber(copied).FirstAsync()).Id);
    }

    [Fact]
    public async Task Claims_are_keyed_by_year_and_number_so_a_second_holder_cannot_be_written()
    {
        await using (var scope = CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
        }
        var number = TestIdNumbers.New();
        await ClaimAsync(number, T0);

        var lost = await Assert.ThrowsAsync<DbUpdateException>(() => ClaimAsync(number.ToLowerInvariant(), T0.AddSeconds(1)));

        Assert.True(ExamReview.ServiceDefaults.Persistence.WriteConflicts.IsLostRace(lost), "a lost race, answered 409 id_number_registered");
    }

    private async Task ClaimAsync(string number, DateTimeOffset at)
    {
        await using var scope = CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var registration = TestRegistrations.New(number);
        db.Registrations.Add(registration);
        await db.ClaimIdNumberAsync(registration, at, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private async Task<Guid> AddAsync(string number, DateTimeOffset createdAt, Guid id, int examYear = 2027)
    {
        var registration = TestRegistrations.New(number);
        registration.Id = id;
        registration.ExamYear = examYear;
        registration.CreatedAt = createdAt;
        registration.UpdatedAt = createdAt;
        await WriteOnOlderSchemaAsync("Registrations", db =>
        {
            db.Registrations.Add(registration);
            return db.SaveChangesAsync();
        });
        return id;
    }
}
