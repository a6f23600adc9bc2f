using ExamReview.Notification.Data;
using ExamReview.Notification.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// The ordering rule, on the service's real migrations (SQLite): per endpoint and candidate only the lowest pending
/// sequence goes out; a later event waits until the earlier one is delivered or failed for good, even when the earlier
/// one is waiting for its next attempt; other candidates are not held up; a paused endpoint sends nothing.
/// </summary>
public sealed class WebhookOrderingTests : IAsyncLifetime, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"notification-hooks-{Guid.NewGuid():N}.db");
    private readonly DateTimeOffset _now = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _keys = WebhookSecretProtectionTests.KeyServices(new() { ["k1"] = WebhookSecretProtectionTests.Key1 }, "k1");
    private NotificationDbContext _db = null!;

    public async Task InitializeAsync()
    {
        _db = new NotificationSqliteDbContext(new DbContextOptionsBuilder<NotificationSqliteDbContext>().UseSqlite($"Data Source={_file}")
            .UseApplicationServiceProvider(_keys).Options);
        await _db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _keys.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    /// <summary>Disposing a context twice is harmless; the file goes in <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        _db.Dispose();
        _keys.Dispose();
    }

    [Fact]
    public async Task Only_the_head_of_each_candidates_queue_is_due()
    {
        var endpoint = await AddEndpointAsync("43");
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var a1 = await RecordAsync(endpoint, a);
        var a2 = await RecordAsync(endpoint, a);
        var a3 = await RecordAsync(endpoint, a);
        var b1 = await RecordAsync(endpoint, b);
        await RecordAsync(endpoint, b);
        Assert.Equal([1L, 2L, 3L], await SequencesAsync(endpoint.Id, a));

        Assert.Equal(Ids(a1, b1), await DueAsync());

        // The head waits for its next attempt: nothing of that candidate goes, the other candidate is not held up.
        await UpdateAsync(a1, d => d.NextAttemptAt = _now.AddMinutes(5));
        Assert.Equal(Ids(b1), await DueAsync());

        await UpdateAsync(a1, d => d.Status = WebhookDeliveryStatus.Delivered);
        Assert.Equal(Ids(a2, b1), await DueAsync());

        // Failed for good (retry window over): the next one goes, so one dead event does not block the candidate forever.
        await UpdateAsync(a2, d => d.Status = WebhookDeliveryStatus.Failed);
        Assert.Equal(Ids(a3, b1), await DueAsync());

        // A replayed earlier event takes its place at the head again.
        await UpdateAsync(a2, d => d.Replay(_now));
        Assert.Equal(Ids(a2, b1), await DueAsync());
    }

    [Fact]
    public async Task Queues_are_per_endpoint_and_a_paused_endpoint_sends_nothing()
    {
        var first = await AddEndpointAsync("43");
        var second = await AddEndpointAsync("44"); // one candidate's events reach two endpoints (areas keep the helper's fan-out apart)
        var candidate = Guid.NewGuid();
        var onFirst = await RecordAsync(first, candidate);
        var onSecond = await RecordAsync(second, candidate);
        await UpdateAsync(onFirst, d => d.NextAttemptAt = _now.AddHours(1));

        Assert.Equal(Ids(onSecond), await DueAsync());

        second.Enabled = false;
        await _db.SaveChangesAsync();
        Assert.Empty(await DueAsync());
    }

    [Fact]
    public async Task Fan_out_records_only_subscribed_types_of_the_endpoints_own_area()
    {
        var all = await AddEndpointAsync("43");
        var approvedOnly = await AddEndpointAsync("43", WebhookEventTypes.Approved);
        var otherArea = await AddEndpointAsync("44");
        var candidate = Guid.NewGuid();
        var data = new Dictionary<string, object?>();
        IReadOnlyList<WebhookEvent> events =
        [
            new(WebhookEventTypes.StatusChanged, "43", candidate, _now, data),
            new(WebhookEventTypes.Approved, "43", candidate, _now, data),
        ];

        Assert.Equal(3, await WebhookFanOut.RecordAsync(_db, Guid.NewGuid(), events, _now, CancellationToken.None));
        await _db.SaveChangesAsync();

        var rows = await _db.WebhookDeliveries.AsNoTracking().ToListAsync();
        Assert.Equal([(WebhookEventTypes.StatusChanged, 1L), (WebhookEventTypes.Approved, 2L)],
            rows.Where(r => r.EndpointId == all.Id).OrderBy(r => r.Sequence).Select(r => (r.EventType, r.Sequence)));
        Assert.Equal([(WebhookEventTypes.Approved, 1L)], rows.Where(r => r.EndpointId == approvedOnly.Id).Select(r => (r.EventType, r.Sequence)));
        Assert.DoesNotContain(rows, r => r.EndpointId == otherArea.Id);
        Assert.All(rows, r => Assert.Contains($"\"sequence\":{r.Sequence}", r.Payload, StringComparison.Ordinal));
    }

    private async Task<WebhookEndpoint> AddEndpointAsync(string area, params string[] types)
    {
        var endpoint = new WebhookEndpoint { Id = Guid.CreateVersion7(), AreaCode = area, Url = "https://example.cn/hook", CreatedAt = _now, CreatedBy = "test" };
        endpoint.Subscribe(types.Length > 0 ? types : WebhookEventTypes.All.Keys, _now);
        endpoint.RotateSecret(_now, TimeSpan.Zero);
        _db.WebhookEndpoints.Add(endpoint);
        await _db.SaveChangesAsync();
        return endpoint;
    }

    private async Task<Guid> RecordAsync(WebhookEndpoint endpoint, Guid candidate)
    {
        var @event = new WebhookEvent(WebhookEventTypes.StatusChanged, endpoint.AreaCode, candidate, _now, new Dictionary<string, object?>());
        await WebhookFanOut.RecordAsync(_db, Guid.NewGuid(), [@event], _now, CancellationToken.None);
        await _db.SaveChangesAsync();
        var added = _db.ChangeTracker.Entries<WebhookDelivery>().Select(e => e.Entity).Where(d => d.EndpointId == endpoint.Id && d.CandidateId == candidate).MaxBy(d => d.Sequence)!;
        return added.Id;
    }

    private async Task<List<long>> SequencesAsync(Guid endpointId, Guid candidate) =>
        await _db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.CandidateId == candidate).OrderBy(d => d.Sequence).Select(d => d.Sequence).ToListAsync();

    private async Task UpdateAsync(Guid id, Action<WebhookDelivery> change)
    {
        change(await _db.WebhookDeliveries.SingleAsync(d => d.Id == id));
        await _db.SaveChangesAsync();
    }

    private async Task<List<Guid>> DueAsync() =>
        (await WebhookDeliveryQueue.Due(_db, _now).Select(d => d.Id).ToListAsync()).Order().ToList();

    private static List<Guid> Ids(params Guid[] ids) => ids.Order().ToList();
}
