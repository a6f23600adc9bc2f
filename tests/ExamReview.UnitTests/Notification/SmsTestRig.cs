using System.Diagnostics.Metrics;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.Notification.Extensions;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.SmsProviderStub;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamReview.UnitTests.Notification;

/// <summary>A clock the test moves by hand (rate-limit windows of a minute and a day).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// Notification's real consumers, migrations (SQLite), SMS gateway and delivery worker, wired as the module wires
/// them, against the provider stub served over real HTTP on a loopback port. The test drives the worker pass by
/// pass instead of the background loop, and can "restart" the service (new worker, gateway and circuit, same
/// database and provider) to simulate a crash.
/// </summary>
public sealed class SmsTestRig : IAsyncDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"notification-sms-{Guid.NewGuid():N}.db");
    private string? _postgres; // a database of this rig's own on the real PostgreSQL server, when asked for
    private readonly List<ServiceProvider> _replicas = [];
    private Meter[] _replicaMeters = []; // replaced whole, read by the meter listener on any thread
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider _clock;
    private WebApplication _stubHost = null!;
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;
    private readonly MeterListener _listener = new();
    private long _failedAlerts;
    private readonly ConsumeCounter _consumed = new();

    private SmsTestRig(Dictionary<string, string?> settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        Stub = new SmsProviderStub.SmsProviderStub(new SmsProviderStubOptions { AccessKeyId = "test-key", AccessKeySecret = "test-secret" }, clock);
    }

    public SmsProviderStub.SmsProviderStub Stub { get; }

    /// <summary>A mobile number of the test's own, so no other test's SMS to the shared stub count as its.</summary>
    public static string NewMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public SmsGateway Gateway => _services.GetRequiredService<SmsGateway>();

    /// <summary>Sum of <c>examreview.notification.sms.failed</c> seen so far, by this rig's worker and its replicas: the operators' alert.</summary>
    public long FailedAlerts => Interlocked.Read(ref _failedAlerts);

    /// <param name="postgresServer">
    /// A PostgreSQL connection string (without a database): the rig then creates a database of its own there
    /// instead of a SQLite file, so several dispatchers can race over it as replicas would.
    /// </param>
    public static async Task<SmsTestRig> StartAsync(IDictionary<string, string?>? overrides = null, TimeProvider? clock = null, string? postgresServer = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sms:Provider:AccessKeyId"] = "test-key",
            ["Sms:Provider:AccessKeySecret"] = "test-secret",
            ["Sms:Provider:AttemptTimeout"] = "00:00:05",
            ["Sms:Resilience:Retries"] = "2",
            ["Sms:Resilience:RetryDelay"] = "00:00:00.010",
            ["Sms:Resilience:BreakerMinimumThroughput"] = "100",
            ["Sms:Resilience:BreakerSamplingDuration"] = "00:00:30",
            ["Sms:Resilience:BreakDuration"] = "00:00:01",
            ["Sms:Dispatch:MaxAttempts"] = "20",
            ["Sms:Dispatch:FirstRetryDelay"] = "00:00:00.050",
            ["Sms:Dispatch:MaxRetryDelay"] = "00:00:00.200",
            ["Sms:Dispatch:ReceiptDelay"] = "00:00:00",
            ["Sms:Dispatch:ReceiptInterval"] = "00:00:00.100",
            ["Sms:RateLimit:PerMinute"] = "100",
            ["Sms:RateLimit:PerDay"] = "1000",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var rig = new SmsTestRig(settings, clock ?? TimeProvider.System);
        if (postgresServer is not null)
        {
            rig._postgres = new Npgsql.NpgsqlConnectionStringBuilder(postgresServer) { Database = $"er_sms_{Guid.NewGuid():N}"[..20] }.ConnectionString;
        }
        await rig.StartStubAsync();
        await rig.StartServiceAsync(migrate: true);
        rig._listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NotificationMetrics.MeterName && instrument.Name == "examreview.notification.sms.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        // Other tests' rigs run in parallel with meters of the same name: count this rig's own instruments only (its
        // service's and its replicas', since an alert raised twice for one SMS is what a replica race would show).
        rig._listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (rig.OwnsMeter(instrument.Meter))
            {
                Interlocked.Add(ref rig._failedAlerts, value);
            }
        });
        rig._listener.Start();
        return rig;
    }

    private bool OwnsMeter(Meter meter) =>
        ReferenceEquals(meter, _services.GetRequiredService<NotificationMetrics>().Meter)
        || Volatile.Read(ref _replicaMeters).Any(m => ReferenceEquals(meter, m));

    private async Task StartStubAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Stub);
        _stubHost = builder.Build();
        _stubHost.MapSmsProviderStub();
        await _stubHost.StartAsync();
        var address = _stubHost.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _settings["Sms:Provider:Endpoint"] = address + SmsProviderStubEndpoints.DefaultPrefix + "/";
    }

    /// <summary>The service's SMS (and webhook) delivery registrations over this rig's database and settings.</summary>
    private ServiceCollection DeliveryServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(_clock);
        services.AddSingleton<OutboxSignal>();
        if (_postgres is not null)
        {
            services.AddDbContext<NotificationDbContext, NotificationPostgreSqlDbContext>(o => o.UseNpgsql(_postgres));
        }
        else
        {
            services.AddDbContext<NotificationDbContext, NotificationSqliteDbContext>(o => o.UseSqlite($"Data Source={_database}"));
        }
        NotificationModule.AddSmsDelivery(services, configuration);
        NotificationModule.AddWebhookDelivery(services, configuration); // the module's webhook consumers record deliveries
        return services;
    }

    /// <summary>
    /// Another replica's delivery worker: its own gateway, circuit and owner id over the same database and
    /// provider, driven by the test alongside this rig's worker.
    /// </summary>
    public SmsDeliveryWorker StartReplicaWorker()
    {
        var replica = DeliveryServices().BuildServiceProvider(true);
        _replicas.Add(replica);
        Volatile.Write(ref _replicaMeters, [.. _replicaMeters, replica.GetRequiredService<NotificationMetrics>().Meter]);
        return replica.GetRequiredService<SmsDeliveryWorker>();
    }

    private async Task StartServiceAsync(bool migrate)
    {
        var services = DeliveryServices();
        // The module's subscriptions on its one queue, as the service process binds them (the harness would otherwise
        // give each consumer an endpoint of its own).
        var module = new NotificationModule();
        services.AddMassTransitTestHarness(x =>
        {
            module.AddConsumers(x);
            x.UsingInMemory((context, bus) => bus.ReceiveEndpoint(module.QueueName, endpoint => module.ConfigureConsumers(endpoint, context)));
        });
        _services = services.BuildServiceProvider(true);
        if (migrate)
        {
            await using var scope = _services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
        }
        _harness = _services.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromMinutes(2);
        _harness.TestInactivityTimeout = TimeSpan.FromMinutes(2);
        await _harness.Start();
        _harness.Bus.ConnectConsumeObserver(_consumed);
    }

    /// <summary>The process dies and comes back: a new worker, gateway and circuit; the same database and provider.</summary>
    public async Task RestartServiceAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
        await StartServiceAsync(migrate: false);
    }

    /// <summary>A candidate of the test's own, with a contact under a number of their own (<see cref="NewMobile"/>).</summary>
    public async Task<(Guid CandidateId, string Mobile)> AddCandidateAsync(string areaCode = "43")
    {
        var (candidateId, mobile) = (Guid.NewGuid(), NewMobile());
        await AddContactAsync(candidateId, mobile, areaCode);
        return (candidateId, mobile);
    }

    public async Task AddContactAsync(Guid candidateId, string mobileNumber, string areaCode = "43")
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        db.Contacts.Add(new CandidateContact { CandidateId = candidateId, AreaCode = areaCode, MobileNumber = mobileNumber, UpdatedAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Publishes an event with the given message id and waits until the service's queue has handled it: every consumer
    /// of it there (an event's SMS, its in-app message, its webhooks) has run.
    /// </summary>
    public async Task PublishAsync<T>(T message, Guid messageId) where T : class
    {
        var before = _consumed.Count(messageId);
        await _harness.Bus.Publish(message, ctx => ctx.MessageId = messageId);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (_consumed.Count(messageId) < before + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} {messageId} was not consumed");
            await Task.Delay(10);
        }
        Assert.False(_consumed.Faulted(messageId), $"{typeof(T).Name} {messageId} faulted");
    }

    public Task<int> RunWorkerOnceAsync() => _services.GetRequiredService<SmsDeliveryWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs worker passes until <paramref name="done"/> holds; fails after the timeout.</summary>
    public async Task RunUntilAsync(Func<Task<bool>> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
            await RunWorkerOnceAsync();
            await Task.Delay(20);
        }
    }

    /// <summary>Runs the worker for a while whatever happens (to show that something does NOT happen).</summary>
    public async Task RunForAsync(TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            await RunWorkerOnceAsync();
            await Task.Delay(20);
        }
    }

    public async Task<List<SmsMessage>> SmsForAsync(Guid candidateId)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        return await db.SmsMessages.AsNoTracking().Where(m => m.CandidateId == candidateId).OrderBy(m => m.CreatedAt).ToListAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<NotificationDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    public ISmsProvider Provider => _services.GetRequiredService<ISmsProvider>();

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _harness.Stop();
        await _services.DisposeAsync();
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        await _stubHost.DisposeAsync();
        if (_postgres is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var admin = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(_postgres) { Database = "postgres" }.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new Npgsql.NpgsqlConnectionStringBuilder(_postgres).Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }
}
