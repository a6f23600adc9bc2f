using System.Buffers.Text;
using System.Text;
using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.UnitTests.Provincial;

public sealed class FeedCursorTests
{
    [Fact]
    public void A_cursor_names_the_position_it_was_made_from()
    {
        var position = new FeedPosition(7_400_123_456, 42);
        var cursor = FeedCursor.Encode("registrations", "43", position);

        Assert.Equal(position, FeedCursor.Decode(cursor, "registrations", "43"));
        Assert.DoesNotContain("registrations", cursor, StringComparison.Ordinal); // opaque to the client
    }

    [Fact]
    public void A_cursor_of_another_feed_or_province_is_refused_not_misread()
    {
        var cursor = FeedCursor.Encode("registrations", "43", new FeedPosition(0, 17));

        Assert.Null(FeedCursor.Decode(cursor, "reviews", "43"));
        Assert.Null(FeedCursor.Decode(cursor, "registrations", "44"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("Zm9v")]
    [InlineData("%%%")]
    public void Garbage_is_refused(string cursor) => Assert.Null(FeedCursor.Decode(cursor, "registrations", "43"));

    [Theory]
    [InlineData("f1|registrations|43|-1|5")]
    [InlineData("f1|registrations|43|0|5|6")]
    [InlineData("f2|registrations|43|0|5")]
    [InlineData("f1|registrations|43|x|5")]
    public void Tampered_cursors_are_refused(string text) =>
        Assert.Null(FeedCursor.Decode(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text)), "registrations", "43"));

    [Fact]
    public void Positions_order_by_transaction_then_position()
    {
        // A later transaction's row sorts after an earlier one's even with a smaller identity value: the gap rule's order.
        Assert.True(new FeedPosition(101, 5) > new FeedPosition(100, 9));
        Assert.True(new FeedPosition(100, 9) > new FeedPosition(100, 8));
        Assert.True(FeedPosition.Start < new FeedPosition(0, 1));
    }
}
