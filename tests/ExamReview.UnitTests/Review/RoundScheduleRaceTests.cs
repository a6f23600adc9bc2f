using ExamReview.ReviewWorkflow.Publication;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExamReview.UnitTests.Review;

/// <summary>
/// Operators setting a round's end date while something else writes the same round: a close (its end date passed, or
/// another operator published) wins over a move, which writes nothing and says so instead of failing (a 500); and two
/// first end dates, both finding no open round, open one round between them, never two.
/// </summary>
public sealed class RoundScheduleRaceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly BeforeNextSave _race = new();
    private readonly SavesMeet _meet = new();
    private PublicationDatabase _db = null!;

    public async Task InitializeAsync() => _db = await PublicationDatabase.StartAsync(T0, _race, _meet);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private Task<ResultRound?> ScheduleAsync(DateTimeOffset endsAt) => _db.ScheduleAsync(RoundLevels.Area, PublicationDatabase.HeldArea, endsAt);

    [Fact]
    public async Task A_move_that_loses_to_a_close_writes_nothing_and_says_so()
    {
        var first = await ScheduleAsync(T0.AddDays(7));
        Assert.NotNull(first);

        _race.Then = () => _db.PublishAsync(RoundLevels.Area, PublicationDatabase.HeldArea, "operator-2");
        var moved = await ScheduleAsync(T0.AddDays(14));

        Assert.True(_race.Ran, "the close did not run between the move's read and its write");
        Assert.Null(moved);
        var round = Assert.Single(await _db.RoundsAsync());
        Assert.Equal(first.Id, round.Id);
        Assert.Equal(("operator-2", T0.AddDays(7)), (round.ClosedBy, round.EndsAt));

        // Once the close is done, the next move opens the next round with its date.
        var next = await ScheduleAsync(T0.AddDays(14));
        Assert.NotNull(next);
        Assert.NotEqual(first.Id, next.Id);
    }

    [Fact]
    public async Task A_first_end_date_that_finds_the_round_opened_meanwhile_sets_its_date_on_that_round()
    {
        // The other request reads no open round too, opens one and commits between this one's read and its write.
        ResultRound? other = null;
        _race.Then = async () => other = await ScheduleAsync(T0.AddDays(7));

        var mine = await ScheduleAsync(T0.AddDays(10));

        Assert.True(_race.Ran, "the other first end date did not commit between this one's read and its write");
        Assert.NotNull(other);
        Assert.NotNull(mine);
        Assert.Equal(other.Id, mine.Id);
        // One round, open, with the date set last: as if this request had come a moment later, nothing of its own round left.
        var round = Assert.Single(await _db.RoundsAsync());
        Assert.Equal((other.Id, (DateTimeOffset?)null, T0.AddDays(10), 2), (round.Id, round.ClosedAt, round.EndsAt, round.Version));
    }

    [Fact]
    public async Task Four_first_end_dates_at_once_open_exactly_one_round_and_each_is_answered()
    {
        _meet.Expect(4);
        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(day => Task.Run(() => ScheduleAsync(T0.AddDays(day)))));

        Assert.True(_meet.Met, "the four requests did not all read before any of them wrote");
        var round = Assert.Single(await _db.RoundsAsync());
        Assert.Null(round.ClosedAt);
        // Each request either set its date on that round or, when another moved it between its read and its write, was
        // told so (null: the endpoint's 409 round_busy); none opened a second round or failed.
        Assert.All(answers, answer => Assert.True(answer is null || answer.Id == round.Id));
        Assert.Contains(answers, answer => answer is not null && answer.EndsAt == round.EndsAt);
    }

    /// <summary>When given something to do, does it (in a scope of its own) just before the next save writes.</summary>
    private sealed class BeforeNextSave : SaveChangesInterceptor
    {
        public Func<Task>? Then { get; set; }
        public bool Ran { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Then is { } then)
            {
                Then = null;
                await then();
                Ran = true;
            }
            return result;
        }
    }
}
