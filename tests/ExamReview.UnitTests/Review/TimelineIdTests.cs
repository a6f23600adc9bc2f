using ExamReview.ReviewWorkflow.Data;

namespace ExamReview.UnitTests.Review;

public sealed class TimelineIdTests
{
    [Fact]
    public void Events_recorded_in_the_same_millisecond_sort_in_recording_order_as_uuids_and_as_text()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 5000).Select(_ => Timeline.NextId(at)).ToList();

        // PostgreSQL compares uuids bytewise; SQLite compares the text form: both must keep the recording order.
        var asBytes = ids.Select(id => Convert.ToHexString(id.ToByteArray(bigEndian: true))).ToList();
        Assert.Equal(asBytes.Order(StringComparer.Ordinal), asBytes);
        var asText = ids.Select(id => id.ToString().ToUpperInvariant()).ToList();
        Assert.Equal(asText.Order(StringComparer.Ordinal), asText);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }
}
