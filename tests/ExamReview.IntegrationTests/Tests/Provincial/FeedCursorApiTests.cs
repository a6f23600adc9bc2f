using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExamReview.IntegrationTests.Infrastructure;
using ExamReview.IntegrationTests.Platform;
using ExamReview.IntegrationTests.Tests.Review;
using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.IntegrationTests.Tests.Provincial;

/// <summary>
/// A cursor no page handed out, past the end of a feed, is refused on every feed (400 cursor_ahead, Chinese first)
/// instead of answering an empty page that hands it back: a client that kept it would skip every change until the feed
/// reached it. The cursor of the feed's last page keeps working, empty page and all.
/// </summary>
[Collection(ProvincialCollection.Name)]
public sealed class FeedCursorApiTests(ProvincialPlatform platform)
{
    [Fact]
    public async Task A_forged_cursor_past_the_end_is_refused_and_the_end_cursor_is_not()
    {
        var hunan = new SimulatedProvince(() => platform.Client, ProvincialPlatform.Hunan);
        await hunan.AuthenticateAsync();
        // A submitted application of the province (area 43, site 4301), so every feed has a row and an end that is not the start.
        var steps = new ReviewSteps(platform.Client);
        await steps.SubmitNewAsync(await steps.SiteReviewerAsync("cursor-" + Guid.NewGuid().ToString("N")[..6]));

        foreach (var (feed, service) in SimulatedProvince.Feeds)
        {
            var end = await Eventually.GetAsync(async () =>
            {
                var (items, next) = await ReadToEndAsync(hunan, feed, service);
                return items > 0 ? next : null;
            }, $"the {feed} feed to have a row");

            using (var atEnd = await hunan.GetAsync(service, $"/api/v1/provincial/{feed}?cursor={Uri.EscapeDataString(end)}"))
            {
                await PlatformClient.EnsureAsync(atEnd, HttpStatusCode.OK);
                var page = (await atEnd.Content.ReadFromJsonAsync<JsonObject>())!;
                // Nothing new since: an empty page that hands the same cursor back (a change just made would be served instead).
                if (page["items"]!.AsArray().Count == 0)
                {
                    Assert.Equal(end, page["nextCursor"]!.GetValue<string>());
                }
            }

            var forged = FeedCursor.Encode(feed, "43", new FeedPosition(long.MaxValue / 2, long.MaxValue / 2));
            using var refused = await hunan.GetAsync(service, $"/api/v1/provincial/{feed}?cursor={Uri.EscapeDataString(forged)}");
            var problem = await PlatformClient.ProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.Equal(IdempotencyProblems.CursorAheadCode, problem["code"]!.GetValue<string>());
            Assert.Contains("超出了变更流的末尾", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    /// <summary>Pages from the start until nothing more is ready: how many items, and the last nextCursor.</summary>
    private static async Task<(int Items, string Next)> ReadToEndAsync(SimulatedProvince province, string feed, string service)
    {
        var (items, cursor) = (0, (string?)null);
        while (true)
        {
            using var response = await province.GetAsync(service, $"/api/v1/provincial/{feed}?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            await PlatformClient.EnsureAsync(response, HttpStatusCode.OK);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            items += page["items"]!.AsArray().Count;
            cursor = page["nextCursor"]!.GetValue<string>();
            if (!page["hasMore"]!.GetValue<bool>())
            {
                return (items, cursor);
            }
        }
    }
}
