using ExamReview.Registration.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.Registration.Data;

/// <summary>
/// Reading and writing <see cref="IdNumberClaim"/>s: who holds a number in a year, the registration that holds it for
/// the sign-in, and a registration taking (or moving) its claim in the commit that writes its number.
/// </summary>
public static class IdNumberClaimsData
{
    /// <summary>The registration that holds <paramref name="idNumber"/> in <paramref name="examYear"/>, or null when none does.</summary>
    public static async Task<Guid?> IdNumberHolderAsync(this RegistrationDbContext db, int examYear, string idNumber, CancellationToken ct)
    {
        var index = db.IdNumberIndexOf(idNumber);
        return await db.IdNumberClaims.AsNoTracking().Where(c => c.ExamYear == examYear && c.IdNumberIndex == index)
            .Select(c => (Guid?)c.RegistrationId).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// The registrations that hold <paramref name="idNumber"/>, the latest exam year first: the sign-in and the reset take
    /// the first, so they reach the number's holder — never a later registration that copied it, whichever the database
    /// would have returned first.
    /// </summary>
    public static IQueryable<CandidateRegistration> RegistrationsHoldingIdNumber(this RegistrationDbContext db, string idNumber)
    {
        var index = db.IdNumberIndexOf(idNumber);
        return from claim in db.IdNumberClaims
               where claim.IdNumberIndex == index
               join registration in db.Registrations on claim.RegistrationId equals registration.Id
               orderby claim.ExamYear descending
               select registration;
    }

    /// <summary>
    /// <paramref name="registration"/> claims its number for its year, first giving up the claim it holds (a correction
    /// moves it) — which passes, in the same commit, to the earliest other registration of that year still carrying the
    /// old number (<see cref="IdNumberHolding.HandOn"/>). Committed with the number: a registration of the same year that
    /// claimed the number meanwhile makes the commit fail on the claim's key (a lost race,
    /// <see cref="ServiceDefaults.Persistence.WriteConflicts.IsLostRace"/>).
    /// </summary>
    /// <returns>The claims handed on, for the caller to audit in the same commit (<see cref="ClaimHandedOn.Audit"/>).</returns>
    public static async Task<IReadOnlyList<ClaimHandedOn>> ClaimIdNumberAsync(this RegistrationDbContext db, CandidateRegistration registration, DateTimeOffset at, CancellationToken ct)
    {
        var index = db.IdNumberIndexOf(registration.IdNumber);
        var held = await db.IdNumberClaims.Where(c => c.RegistrationId == registration.Id).ToListAsync(ct);
        db.IdNumberClaims.RemoveRange(held);
        var handedOn = new List<ClaimHandedOn>();
        foreach (var released in held.Where(c => c.ExamYear != registration.ExamYear || c.IdNumberIndex != index))
        {
            if (IdNumberHolding.HandOn(released, await WaitingForAsync(db, released, ct), at) is { } taken)
            {
                db.IdNumberClaims.Add(taken);
                handedOn.Add(new ClaimHandedOn(released, taken));
            }
        }
        db.IdNumberClaims.Add(new IdNumberClaim { ExamYear = registration.ExamYear, IdNumberIndex = index, RegistrationId = registration.Id, ClaimedAt = at });
        return handedOn;
    }

    // The year's registrations that carry the released number and hold no claim (copies written before the rule). The
    // releasing registration is still stored with the old number, so it is left out by id.
    private static Task<List<ClaimWaiter>> WaitingForAsync(RegistrationDbContext db, IdNumberClaim released, CancellationToken ct) =>
        db.Registrations.AsNoTracking()
            .Where(r => r.ExamYear == released.ExamYear && r.Id != released.RegistrationId
                && EF.Property<string?>(r, RegistrationDbContext.IdNumberIndexColumn) == released.IdNumberIndex
                && !db.IdNumberClaims.Any(c => c.RegistrationId == r.Id))
            .Select(r => new ClaimWaiter(r.Id, r.CreatedAt))
            .ToListAsync(ct);
}

internal sealed class IdNumberClaimConfiguration : IEntityTypeConfiguration<IdNumberClaim>
{
    public void Configure(EntityTypeBuilder<IdNumberClaim> builder)
    {
        builder.ToTable("IdNumberClaims");
        // One holder per number and year, enforced by the database: of two racing registrations one commits.
        builder.HasKey(x => new { x.ExamYear, x.IdNumberIndex });
        builder.Property(x => x.ExamYear).ValueGeneratedNever();
        builder.Property(x => x.IdNumberIndex).HasMaxLength(64); // hex HMAC-SHA256, never the number
        // A registration holds at most the one claim of its current number.
        builder.HasIndex(x => x.RegistrationId).IsUnique();
    }
}
