using System.Security.Cryptography;
using ExamReview.Contracts;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// Webhook signing keys at rest, on PostgreSQL through the API: the column never holds the key the province was shown,
/// deliveries are signed with it all the same, and a key the ring can no longer open leaves its endpoint manageable
/// while its deliveries fail with the reason on the attempt (nothing is sent unsigned) until the secret is rotated.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookSecretAtRestTests(PostgresContainer postgres)
{
    private const string Endpoints = "/api/v1/notifications/webhooks/endpoints";

    [Fact]
    public async Task The_stored_key_is_sealed_and_an_unopenable_one_fails_deliveries_with_its_reason_until_rotated()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        await using var receiver = await WebhookTestReceiver.StartAsync();
        var hunan = host.Token("hunan-sync", Roles.Province, "43");
        var (status, created) = await host.SendAsync(HttpMethod.Post, Endpoints, hunan,
            new { url = receiver.Url("hunan"), eventTypes = new[] { WebhookEventTypes.StatusChanged } });
        Assert.Equal(201, status);
        var secret = created!["secret"]!.GetValue<string>();
        var endpointId = created["endpoint"]!["id"]!.GetValue<Guid>();
        receiver.Trust("hunan", secret);

        var key = Convert.FromBase64String(secret[WebhookSecret.Prefix.Length..]);
        var stored = Assert.Single(await StoredKeysAsync(host, endpointId));
        Assert.True(stored.Length > key.Length);
        Assert.Equal(-1, stored.AsSpan().IndexOf(key.AsSpan(0, 8)));

        var first = Guid.NewGuid();
        await SubmitAsync(host, first);
        await Eventually.TrueAsync(() => Task.FromResult(receiver.FirstArrivals("hunan").Any(w => w.CandidateId == first)), "the first event verified at the receiver");
        Assert.NotEmpty(receiver.FirstArrivals("hunan").Single(w => w.CandidateId == first).VerifiedBy);

        // The key as if sealed under a ring key since removed: format 1, key id "gone", then nonce, ciphertext and tag.
        byte[] gone = [1, 4, .. "gone"u8, .. RandomNumberGenerator.GetBytes(12 + 32 + 16)];
        await host.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "WebhookSecrets" SET "Key" = {gone} WHERE "EndpointId" = {endpointId}"""));
        var (getStatus, _) = await host.SendAsync(HttpMethod.Get, $"{Endpoints}/{endpointId}", hunan);
        Assert.Equal(200, getStatus);

        var second = Guid.NewGuid();
        await SubmitAsync(host, second);
        var attempt = await Eventually.GetAsync(() => host.WithDbAsync(db => db.WebhookAttempts.AsNoTracking()
            .Where(a => db.WebhookDeliveries.Any(d => d.Id == a.DeliveryId && d.CandidateId == second)).FirstOrDefaultAsync()), "a failed attempt of the second event");
        Assert.Null(attempt.StatusCode);
        Assert.StartsWith("签名密钥无法解密", attempt.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.FirstArrivals("hunan"), w => w.CandidateId == second);

        // Rotating with no overlap issues a key that opens; the waiting event goes out signed with it at its next attempt.
        var (rotateStatus, issued) = await host.SendAsync(HttpMethod.Post, $"{Endpoints}/{endpointId}/secret/rotate", hunan, new { overlapMinutes = 0 });
        Assert.Equal(200, rotateStatus);
        receiver.Trust("hunan", issued!["secret"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Task.FromResult(receiver.FirstArrivals("hunan").Any(w => w.CandidateId == second)), "the second event verified after the rotation", TimeSpan.FromSeconds(60));
    }

    private static Task SubmitAsync(NotificationServiceHost host, Guid candidate) =>
        host.PublishAsync<ApplicationSubmitted, ApplicationSubmittedWebhookConsumer>(
            new ApplicationSubmitted(Guid.NewGuid(), candidate, "2027430001", "43", "4301", 1, [], DateTimeOffset.UtcNow), NewId.NextGuid());

    private static Task<List<byte[]>> StoredKeysAsync(NotificationServiceHost host, Guid endpointId) =>
        host.WithDbAsync(db => db.Database.SqlQuery<byte[]>($"""SELECT "Key" AS "Value" FROM "WebhookSecrets" WHERE "EndpointId" = {endpointId}""").ToListAsync());
}
