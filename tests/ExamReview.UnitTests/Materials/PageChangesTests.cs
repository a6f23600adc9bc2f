using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Pages;
using Microsoft.AspNetCore.Http;

namespace ExamReview.UnitTests.Materials;

/// <summary>
/// The long poll's wake-ups: a change wakes the requests waiting on that candidate's page and no other, a change for
/// everyone wakes all of them, a watch taken after a change waits for the next one, and nothing is left behind
/// once requests stop waiting. And which <c>Prefer</c> headers ask for a wait.
/// </summary>
public sealed class PageChangesTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan None = TimeSpan.Zero;

    [Fact]
    public async Task A_change_wakes_the_waiters_on_that_page_only()
    {
        var changes = new PageChanges();
        var candidate = Guid.NewGuid();
        using var first = changes.Watch(candidate);
        using var second = changes.Watch(candidate);
        using var other = changes.Watch(Guid.NewGuid());

        var woken = Task.WhenAll(first.ChangedWithinAsync(Long, CancellationToken.None), second.ChangedWithinAsync(Long, CancellationToken.None));
        changes.Changed(candidate);

        var results = await woken;
        Assert.All(results, Assert.True);
        Assert.False(await other.ChangedWithinAsync(None, CancellationToken.None));
    }

    [Fact]
    public async Task A_watch_taken_after_a_change_waits_for_the_next()
    {
        var changes = new PageChanges();
        var candidate = Guid.NewGuid();
        using (var before = changes.Watch(candidate))
        {
            changes.Changed(candidate);
            Assert.True(await before.ChangedWithinAsync(None, CancellationToken.None));
        }

        using var after = changes.Watch(candidate);
        Assert.False(await after.ChangedWithinAsync(None, CancellationToken.None));
        changes.Changed(candidate);
        Assert.True(await after.ChangedWithinAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_change_for_everyone_wakes_every_waiter()
    {
        var changes = new PageChanges();
        using var one = changes.Watch(Guid.NewGuid());
        using var two = changes.Watch(Guid.NewGuid());

        changes.ChangedEverywhere();

        Assert.True(await one.ChangedWithinAsync(Long, CancellationToken.None));
        Assert.True(await two.ChangedWithinAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_wait_that_runs_out_says_so_and_leaves_nothing_behind()
    {
        var changes = new PageChanges();
        var candidate = Guid.NewGuid();
        using (var watch = changes.Watch(candidate))
        {
            Assert.Equal(1, changes.Waiting);
            Assert.False(await watch.ChangedWithinAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        }
        Assert.Equal(0, changes.Waiting);

        // Nothing was left registered for that candidate: a new watch is a new one, unaffected by the old.
        using var again = changes.Watch(candidate);
        Assert.False(await again.ChangedWithinAsync(None, CancellationToken.None));
    }

    [Fact]
    public async Task One_waiter_leaving_does_not_unhook_another_on_the_same_page()
    {
        var changes = new PageChanges();
        var candidate = Guid.NewGuid();
        using var staying = changes.Watch(candidate);
        changes.Watch(candidate).Dispose();

        changes.Changed(candidate);

        Assert.True(await staying.ChangedWithinAsync(Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_request_that_goes_away_stops_waiting()
    {
        var changes = new PageChanges();
        using var watch = changes.Watch(Guid.NewGuid());
        using var gone = new CancellationTokenSource();

        var waiting = watch.ChangedWithinAsync(Long, gone.Token);
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Theory]
    [InlineData("wait=10", 10)]
    [InlineData("WAIT=3", 3)]
    [InlineData("respond-async, wait=7", 7)]
    [InlineData("wait=\"5\"", 5)]
    [InlineData("wait=5; x=y", 5)]
    [InlineData("wait=600", 25)] // capped at PageWait.Longest
    [InlineData("wait=0", 0)]
    [InlineData("wait=-1", 0)]
    [InlineData("wait=soon", 0)]
    [InlineData("return=minimal", 0)]
    [InlineData("", 0)]
    public void Prefer_wait_is_read_as_RFC_7240_writes_it(string prefer, int seconds)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers["Prefer"] = prefer;

        Assert.Equal(TimeSpan.FromSeconds(seconds), PageWait.Requested(http.Request));
    }
}
