using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Persistence;

/// <summary>
/// Npgsql writes only UTC values to <c>timestamptz</c>: a time a client sent in China's offset (the queue's
/// submittedFrom, a round's endsAt, a webhook replay's since) failed the request with a 500 before it reached the
/// database. The services' model takes every such value as its instant (<c>UtcTimestamps</c>), in a filter and in a write.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OffsetTimestampsPostgresTests(PostgresContainer server) : FreshPostgresDatabaseTests(server, "er_offsets_")
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Submitted = new(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);

    protected override ReviewPostgreSqlDbContext Open() =>
        new(new DbContextOptionsBuilder<ReviewPostgreSqlDbContext>().UseNpgsql(ConnectionString()).Options);

    [Fact]
    public async Task Times_in_chinas_offset_are_written_and_compared_as_their_instants()
    {
        await using (var db = Open())
        {
            db.Cases.Add(NewCase(Submitted.ToOffset(China)));
            await db.SaveChangesAsync();
        }

        await using var read = Open();
        var from = Submitted.AddHours(-1).ToOffset(China);
        var to = Submitted.AddHours(1).ToOffset(China);
        var found = await read.Cases.AsNoTracking().Where(c => c.SubmittedAt >= from && c.SubmittedAt < to).ToListAsync();
        var later = Submitted.AddMinutes(1).ToOffset(China);

        Assert.Equal(Submitted, Assert.Single(found).SubmittedAt);
        Assert.False(await read.Cases.AnyAsync(c => c.SubmittedAt >= later));
    }

    private static ReviewCase NewCase(DateTimeOffset submittedAt) => new()
    {
        Id = Guid.CreateVersion7(), ApplicationId = Guid.NewGuid(), CandidateId = Guid.NewGuid(), RegistrationNumber = "2027430100001", AreaCode = "43",
        SiteCode = "4301", ImageIdsJson = "[]", State = CaseState.SiteReview, SubmissionNumber = 1, SubmittedAt = submittedAt, OpenedAt = submittedAt,
        UpdatedAt = submittedAt,
    };
}
