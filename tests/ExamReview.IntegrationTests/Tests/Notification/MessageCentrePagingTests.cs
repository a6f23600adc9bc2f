using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.Notification.Domain;

namespace ExamReview.IntegrationTests.Tests.Notification;

/// <summary>
/// The message centre answered only the newest 100 messages, with no way to read older ones: the paged list walks
/// back through all of them (keyset on time and id, so messages of the same instant are neither lost nor repeated),
/// while the first list still answers the newest page as a bare array for the callers that read it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MessageCentrePagingTests(PostgresContainer postgres)
{
    private const string Messages = "/api/v1/notifications/me/messages";

    [Fact]
    public async Task Pages_walk_back_through_every_message_and_the_first_list_is_unchanged()
    {
        await using var host = await NotificationServiceHost.StartAsync(postgres.ConnectionString);
        var candidateId = Guid.NewGuid();
        var other = Guid.NewGuid();
        var start = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
        // 130 messages, three to each instant (a batch of notices can share one), and another candidate's in between.
        var seeded = Enumerable.Range(0, 130).Select(i => Message(candidateId, start.AddMinutes(i / 3), i)).ToList();
        await host.WithDbAsync(async db =>
        {
            db.InAppMessages.AddRange(seeded);
            db.InAppMessages.AddRange(Enumerable.Range(0, 5).Select(i => Message(other, start.AddMinutes(i), 1000 + i)));
            return await db.SaveChangesAsync();
        });
        var token = host.CandidateToken(candidateId);

        // The first list: the newest 100, newest first, a bare array as before.
        var (status, first) = await host.SendAsync(HttpMethod.Get, Messages, token);
        Assert.Equal(200, status);
        var newest = first!.AsArray();
        Assert.Equal(100, newest.Count);
        Assert.Contains(newest[0]!["title"]!.GetValue<string>(), new[] { "消息 127", "消息 128", "消息 129" }); // one instant: id decides

        // The pages: every message once, in the order of the first list, then no cursor.
        var read = new List<JsonNode>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var path = $"{Messages}/pages?limit=40" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var (pageStatus, page) = await host.SendAsync(HttpMethod.Get, path, token);
            Assert.Equal(200, pageStatus);
            read.AddRange(page!["items"]!.AsArray().Select(m => m!));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(4, pages);
        Assert.Equal(seeded.Select(m => m.Id).Order(), read.Select(m => m["id"]!.GetValue<Guid>()).Order());
        Assert.Equal(newest.Select(m => m!["id"]!.GetValue<Guid>()), read.Take(100).Select(m => m["id"]!.GetValue<Guid>()));
        Assert.Contains(read[^1]["title"]!.GetValue<string>(), new[] { "消息 0", "消息 1", "消息 2" });

        // Filters apply to the pages too; a cursor this API never gave is refused naming the parameter.
        var (_, unreadPage) = await host.SendAsync(HttpMethod.Get, $"{Messages}/pages?unread=true&limit=100", token);
        Assert.Equal(65, unreadPage!["items"]!.AsArray().Count);
        Assert.Null(unreadPage["nextCursor"]);
        var (bad, problem) = await host.SendAsync(HttpMethod.Get, $"{Messages}/pages?cursor=not-a-cursor", token);
        Assert.Equal(400, bad);
        Assert.NotNull(problem!["errors"]!["cursor"]);
        Assert.StartsWith("不是本接口返回的翻页游标", problem["errors"]!["cursor"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static InAppMessage Message(Guid candidateId, DateTimeOffset at, int number) => new()
    {
        Id = Guid.NewGuid(),
        CandidateId = candidateId,
        SourceMessageId = Guid.NewGuid(),
        Kind = InAppMessageKinds.Notice,
        Title = $"消息 {number}",
        Body = "测试消息",
        CreatedAt = at,
        ReadAt = number % 2 == 0 ? null : at.AddHours(1),
    };
}
