using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>A place in a feed: after the row (<see cref="Transaction"/>, <see cref="Position"/>) in feed order.</summary>
public readonly record struct FeedPosition(long Transaction, long Position) : IComparable<FeedPosition>
{
    public static readonly FeedPosition Start = new(0, 0);

    public int CompareTo(FeedPosition other) =>
        Transaction != other.Transaction ? Transaction.CompareTo(other.Transaction) : Position.CompareTo(other.Position);

    public static bool operator <(FeedPosition left, FeedPosition right) => left.CompareTo(right) < 0;

    public static bool operator <=(FeedPosition left, FeedPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >(FeedPosition left, FeedPosition right) => left.CompareTo(right) > 0;

    public static bool operator >=(FeedPosition left, FeedPosition right) => left.CompareTo(right) >= 0;
}

/// <summary>
/// The cursor a client keeps: opaque to it (base64url), bound to one feed and one area so a cursor of another feed or
/// province is refused rather than silently misread, and versioned so its format can change.
/// </summary>
public static class FeedCursor
{
    private const string Version = "f1";

    public static string Encode(string feed, string area, FeedPosition position)
    {
        var text = string.Join('|', Version, feed, area,
            position.Transaction.ToString(CultureInfo.InvariantCulture), position.Position.ToString(CultureInfo.InvariantCulture));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The position a cursor names, or null when it is not a cursor of this feed and area.</summary>
    public static FeedPosition? Decode(string cursor, string feed, string area)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 256 || !Base64Url.IsValid(cursor))
        {
            return null;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = text.Split('|');
        if (parts.Length != 5 || parts[0] != Version || parts[1] != feed || parts[2] != area
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var transaction)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return null;
        }
        return new FeedPosition(transaction, position);
    }
}
