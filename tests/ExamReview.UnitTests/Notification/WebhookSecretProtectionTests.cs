using System.Security.Cryptography;
using ExamReview.Notification.Data;
using ExamReview.Notification.Data.Protection;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Security;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.UnitTests.Notification;

/// <summary>
/// Webhook signing keys at rest, on the service's real migrations (SQLite): the column never holds the key, the key
/// reads back and signs, a key stored before encryption and a key sealed under a retired ring key are sealed again at
/// start-up, and a database without its key ring yields no key.
/// </summary>
public sealed class WebhookSecretProtectionTests : IAsyncLifetime, IDisposable
{
    internal static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);
    private readonly DateTimeOffset _now = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);

    // One in-memory database shared by the "hosts" of a test: it lives as long as this connection is open.
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        await host.GetRequiredService<NotificationDbContext>().Database.MigrateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _connection.Dispose();

    /// <summary>A service provider holding only a <see cref="WebhookSecretProtector"/> over the given ring (for contexts built by hand).</summary>
    internal static ServiceProvider KeyServices(Dictionary<string, byte[]> keys, string current) =>
        new ServiceCollection().AddSingleton(new WebhookSecretProtector(new ProtectionKeyRing(keys, current))).BuildServiceProvider();

    [Fact]
    public async Task The_column_holds_a_sealed_key_and_the_service_reads_the_key_back()
    {
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        var (endpointId, secret) = await AddEndpointAsync(host);

        var stored = await RawKeyAsync(secret.Id);
        Assert.Equal("k1", ValueSealer.SealedKeyId(stored));
        Assert.True(stored.Length > WebhookSecretProtector.RawKeyLength);
        Assert.Equal(-1, stored.AsSpan().IndexOf(secret.Key.AsSpan(0, 8)));

        await using var reader = Host(new() { ["k1"] = Key1 }, "k1");
        var read = await reader.GetRequiredService<NotificationDbContext>().WebhookEndpoints.AsNoTracking()
            .Include(e => e.Secrets).SingleAsync(e => e.Id == endpointId);
        Assert.Equal(secret.Key, read.SigningSecrets(_now).Single().Key);
        Assert.Equal(secret.Display, read.SigningSecrets(_now).Single().Display);
    }

    [Fact]
    public async Task A_key_stored_before_encryption_is_sealed_at_start_up_and_signs_as_before()
    {
        await using var host = Host(new() { ["k1"] = Key1 }, "k1");
        var (_, secret) = await AddEndpointAsync(host);
        var raw = RandomNumberGenerator.GetBytes(32);
        await WriteRawKeyAsync(secret.Id, raw); // what a row written before this change holds

        var db = host.GetRequiredService<NotificationDbContext>();
        Assert.Equal(raw, (await db.WebhookSecrets.AsNoTracking().SingleAsync(s => s.Id == secret.Id)).Key);

        Assert.Equal(new WebhookSecretResealing.Outcome(1, 0), await WebhookSecretResealing.RunAsync(host, CancellationToken.None));
        var stored = await RawKeyAsync(secret.Id);
        Assert.Equal("k1", ValueSealer.SealedKeyId(stored));
        Assert.Equal(raw, (await db.WebhookSecrets.AsNoTracking().SingleAsync(s => s.Id == secret.Id)).Key);
        Assert.Equal(new WebhookSecretResealing.Outcome(0, 0), await WebhookSecretResealing.RunAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task After_a_ring_rotation_keys_move_to_the_new_ring_key_so_the_old_one_can_be_removed()
    {
        Guid secretId;
        byte[] key;
        await using (var before = Host(new() { ["k1"] = Key1 }, "k1"))
        {
            var (_, secret) = await AddEndpointAsync(before);
            (secretId, key) = (secret.Id, secret.Key);
        }

        await using (var rotated = Host(new() { ["k1"] = Key1, ["k2"] = Key2 }, "k2"))
        {
            Assert.Equal("k1", ValueSealer.SealedKeyId(await RawKeyAsync(secretId)));
            Assert.Equal(new WebhookSecretResealing.Outcome(1, 0), await WebhookSecretResealing.RunAsync(rotated, CancellationToken.None));
            Assert.Equal("k2", ValueSealer.SealedKeyId(await RawKeyAsync(secretId)));
        }

        await using var withoutOld = Host(new() { ["k2"] = Key2 }, "k2");
        Assert.Equal(key, (await withoutOld.GetRequiredService<NotificationDbContext>().WebhookSecrets.AsNoTracking().SingleAsync(s => s.Id == secretId)).Key);
    }

    [Fact]
    public async Task A_copy_of_the_database_without_the_ring_yields_no_key_and_start_up_leaves_it_alone()
    {
        Guid secretId;
        await using (var host = Host(new() { ["k1"] = Key1 }, "k1"))
        {
            secretId = (await AddEndpointAsync(host)).Secret.Id;
        }
        var stored = await RawKeyAsync(secretId);
        Assert.Throws<CryptographicException>(() => new WebhookSecretProtector(new ProtectionKeyRing(new Dictionary<string, byte[]> { ["x1"] = Key2 }, "x1")).Open(stored));

        // Another ring, or the same key id over another key (the tag does not verify): the key reads as empty and cannot
        // sign, while its endpoint still loads (listed, rotated, deleted by its province).
        foreach (var (id, key) in new[] { ("x1", Key2), ("k1", RandomNumberGenerator.GetBytes(32)) })
        {
            await using var stranger = Host(new() { [id] = key }, id);
            var endpoint = await stranger.GetRequiredService<NotificationDbContext>().WebhookEndpoints.AsNoTracking()
                .Include(e => e.Secrets).SingleAsync(e => e.Secrets.Any(s => s.Id == secretId));
            Assert.False(endpoint.Secrets.Single().CanSign);

            // Sealing an empty key would destroy the stored one for good: start-up counts it and leaves it.
            Assert.Equal(new WebhookSecretResealing.Outcome(0, id == "x1" ? 1 : 0), await WebhookSecretResealing.RunAsync(stranger, CancellationToken.None));
            Assert.Equal(stored, await RawKeyAsync(secretId));
        }
    }

    private ServiceProvider Host(Dictionary<string, byte[]> keys, string current)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new WebhookSecretProtector(new ProtectionKeyRing(keys, current)));
        services.AddDbContext<NotificationDbContext, NotificationSqliteDbContext>(options => options.UseSqlite(_connection));
        return services.BuildServiceProvider();
    }

    private async Task<(Guid EndpointId, WebhookSecret Secret)> AddEndpointAsync(ServiceProvider host)
    {
        using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var endpoint = new WebhookEndpoint { Id = Guid.CreateVersion7(), AreaCode = "43", Url = "https://example.cn/hook", CreatedAt = _now, CreatedBy = "test" };
        endpoint.Subscribe(WebhookEventTypes.All.Keys, _now);
        var secret = endpoint.RotateSecret(_now, TimeSpan.Zero);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        return (endpoint.Id, secret);
    }

    private async Task<byte[]> RawKeyAsync(Guid secretId)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = """SELECT "Key" FROM "WebhookSecrets" WHERE "Id" = $id""";
        command.Parameters.AddWithValue("$id", secretId.ToString().ToUpperInvariant());
        return (byte[])(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("no such secret row"));
    }

    private async Task WriteRawKeyAsync(Guid secretId, byte[] key)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = """UPDATE "WebhookSecrets" SET "Key" = $key WHERE "Id" = $id""";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$id", secretId.ToString().ToUpperInvariant());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
