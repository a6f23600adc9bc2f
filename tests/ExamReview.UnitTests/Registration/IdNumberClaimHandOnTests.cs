using ExamReview.IntegrationTests.Platform;
using ExamReview.Registration.Api;
using ExamReview.Registration.Data;
using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Registration;

/// <summary>
/// A claim a correction releases is handed on: when staff correct a number's holder to its candidate's real number, the
/// year's other registration still carrying the old number (a copy written before the rule, which holds nothing) takes
/// the old number's claim in the same commit — the earliest first, as the claims migration chose — so its candidate's
/// sign-in reaches it and no newcomer can register the number meanwhile.
/// </summary>
public sealed class IdNumberClaimHandOnTests : RegistrationSqliteTest
{
    private const string BeforeClaims = "AccountsIdNumberThrottles";
    private static readonly DateTimeOffset T0 = new(2027, 1, 5, 2, 0, 0, TimeSpan.Zero);
    protected override string? MigrateTo => BeforeClaims;

    [Fact]
    public void The_earliest_waiting_registration_takes_the_claim_by_creation_then_id()
    {
        var released = new IdNumberClaim { ExamYear = 2027, IdNumberIndex = "ab", RegistrationId = Guid.CreateVersion7(), ClaimedAt = T0 };
        var first = Guid.Parse("00000000-0000-7000-8000-000000000002");
        var tie = Guid.Parse("00000000-0000-7000-8000-000000000001");
        ClaimWaiter[] waiting = [new(Guid.CreateVersion7(), T0.AddMinutes(9)), new(first, T0.AddMinutes(3)), new(released.RegistrationId, T0)];

        var next = IdNumberHolding.HandOn(released, waiting, T0.AddDays(1))!;

        Assert.Equal((2027, "ab", first, T0.AddDays(1)), (next.ExamYear, next.IdNumberIndex, next.RegistrationId, next.ClaimedAt));
        Assert.Equal(tie, IdNumberHolding.HandOn(released, [.. waiting, new(tie, T0.AddMinutes(3))], T0)!.RegistrationId);
        Assert.Null(IdNumberHolding.HandOn(released, [new(released.RegistrationId, T0)], T0));
        Assert.Null(IdNumberHolding.HandOn(released, [], T0));
    }

    [Fact]
    public async Task Correcting_the_holder_to_its_real_number_hands_the_old_number_to_the_earliest_copy_still_carrying_it()
    {
        var copied = TestIdNumbers.New("43");
        var real = TestIdNumbers.New("43");
        var original = await AddAsync(copied, T0, Guid.CreateVersion7());
        // Copies written before the rule: the later one's id sorts first, the earlier one was created first.
        var later = await AddAsync(copied, T0.AddMinutes(9), Guid.Parse("00000000-0000-7000-8000-000000000001"));
        var earlier = await AddAsync(copied, T0.AddMinutes(3), Guid.CreateVersion7());
        var nextYear = await AddAsync(copied, T0.AddMinutes(1), Guid.CreateVersion7(), examYear: 2028);
        await MigrateAsync();
        Assert.Equal(original, await HolderAsync(2027, copied));

        await CorrectIdNumberAsync(original, real, T0.AddDays(1));

        Assert.Equal((original, earlier, nextYear), (await HolderAsync(2027, real), await HolderAsync(2027, copied), await HolderAsync(2028, copied)));
        Assert.Equal(T0.AddDays(1), (await ClaimOfAsync(earlier)).ClaimedAt);
        await using (var scope = CreateAsyncScope())
        {
            // Sign-in with the number reaches the copy's candidate again (the 2028 holder first, then this year's).
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            Assert.Equal([nextYear, earlier], await db.RegistrationsHoldingIdNumber(copied).Select(r => r.Id).ToListAsync());
        }

        // Put right in turn, the earlier copy hands it to the later one; the last to go leaves the number free.
        await CorrectIdNumberAsync(earlier, TestIdNumbers.New("43"), T0.AddDays(2));
        Assert.Equal(later, await HolderAsync(2027, copied));
        await CorrectIdNumberAsync(later, TestIdNumbers.New("43"), T0.AddDays(3));
        Assert.Null(await HolderAsync(2027, copied));
        Assert.Equal(4, await CountClaimsAsync());
    }

    [Fact]
    public async Task A_correction_that_only_changes_how_the_number_is_written_keeps_the_claim()
    {
        var copied = TestIdNumbers.New("43");
        while (!copied.EndsWith('X'))
        {
            copied = TestIdNumbers.New("43");
        }
        // Stored before numbers were normalised, with a lower-case x: staff write it as on the ID card.
        var original = await AddAsync(copied.ToLowerInvariant(), T0, Guid.CreateVersion7());
        var copy = await AddAsync(copied, T0.AddMinutes(3), Guid.CreateVersion7());
        await MigrateAsync();

        await CorrectIdNumberAsync(original, copied, T0.AddDays(1));

        Assert.Equal(original, await HolderAsync(2027, copied));
        Assert.False(await HoldsAsync(copy));
    }

    [Fact]
    public async Task The_correction_that_hands_a_claim_on_audits_it_on_the_taker_naming_both_registrations_by_id_only()
    {
        var copied = TestIdNumbers.New("43");
        var real = TestIdNumbers.New("43");
        var original = await AddAsync(copied, T0, Guid.CreateVersion7());
        var copy = await AddAsync(copied, T0.AddMinutes(3), Guid.CreateVersion7());
        var bystander = await AddAsync(copied, T0.AddMinutes(9), Guid.CreateVersion7());
        await MigrateAsync();

        await using (var scope = CreateAsyncScope())
        {
            // The path staff corrections and provincial ones take: one commit for the number, the claims and the audit.
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            var registration = await db.Registrations.SingleAsync(r => r.Id == original);
            var correction = new Correction(new Dictionary<string, string> { [CorrectableFields.IdNumber] = real }, "核对身份证", "site-4301", T0.AddDays(1));
            Assert.Null(await CorrectionsApi.ApplyAsync(registration, correction, db, () => throw new InvalidOperationException("no race here"), CancellationToken.None));
        }

        await using (var scope = CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
            Assert.Equal(copy, await db.IdNumberHolderAsync(2027, copied, CancellationToken.None));
            var rows = await db.Corrections.AsNoTracking().ToListAsync();
            var (originalCandidate, copyCandidate, bystanderCandidate) = (await CandidateOfAsync(db, original), await CandidateOfAsync(db, copy), await CandidateOfAsync(db, bystander));
            // The corrected registration's own row (the number, old and new) and the hand-on's, on the taker.
            Assert.Equal(CorrectableFields.IdNumber, Assert.Single(rows, r => r.CandidateId == originalCandidate).Field);
            var handOn = Assert.Single(rows, r => r.CandidateId == copyCandidate);
            Assert.Equal((copy, ClaimHandedOn.Field, original.ToString(), copy.ToString()), (handOn.RegistrationId, handOn.Field, handOn.OldValue, handOn.NewValue));
            Assert.Equal(("核对身份证", "site-4301", T0.AddDays(1)), (handOn.Reason, handOn.CorrectedBy, handOn.CorrectedAt));
            Assert.DoesNotContain(rows, r => r.CandidateId == bystanderCandidate);
            Assert.DoesNotContain(copied, handOn.OldValue + handOn.NewValue + handOn.Reason, StringComparison.OrdinalIgnoreCase);

            // Staff read it on the taker's corrections; the taker's candidate does not (it names another person's registration).
            var staff = Assert.Single(await CorrectionsApi.ViewsAsync(db, copyCandidate, forCandidate: false, CancellationToken.None));
            Assert.Equal((ClaimHandedOn.FieldName, original.ToString(), copy.ToString()), (staff.FieldName, staff.OldValue, staff.NewValue));
            Assert.Empty(await CorrectionsApi.ViewsAsync(db, copyCandidate, forCandidate: true, CancellationToken.None));
        }
    }

    private static Task<Guid> CandidateOfAsync(RegistrationDbContext db, Guid registrationId) =>
        db.Registrations.AsNoTracking().Where(r => r.Id == registrationId).Select(r => r.CandidateId).SingleAsync();

    private async Task CorrectIdNumberAsync(Guid registrationId, string idNumber, DateTimeOffset at)
    {
        await using var scope = CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistrationDbContext>();
        var registration = await db.Registrations.SingleAsync(r => r.Id == registrationId);
        var holder = await db.IdNumberHolderAsync(registration.ExamYear, idNumber, CancellationToken.None);
        var (refusal, _) = registration.Correct(new Dictionary<string, string> { [CorrectableFields.IdNumber] = idNumber }, "核对身份证", "site-4301", at, holder);
        Assert.Equal(CorrectionRefusal.None, refusal);
        await db.ClaimIdNumberAsync(registration, at, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private async Task<Guid?> HolderAsync(int examYear, string idNumber)
    {
        await using var scope = CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().IdNumberHolderAsync(examYear, idNumber, CancellationToken.None);
    }

    private async Task<IdNumberClaim> ClaimOfAsync(Guid registrationId)
    {
        await using var scope = CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().IdNumberClaims.AsNoTracking().SingleAsync(c => c.RegistrationId == registrationId);
    }

    private async Task<bool> HoldsAsync(Guid registrationId)
    {
        await using var scope = CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().IdNumberClaims.AnyAsync(c => c.RegistrationId == registrationId);
    }

    private async Task<int> CountClaimsAsync()
    {
        await using var scope = CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().IdNumberClaims.CountAsync();
    }

    private async Task MigrateAsync()
    {
        await using var scope = CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistrationDbContext>().Database.MigrateAsync();
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
