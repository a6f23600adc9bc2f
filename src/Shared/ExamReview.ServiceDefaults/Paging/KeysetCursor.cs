using System.Globalization;
using System.Text;

namespace ExamReview.ServiceDefaults.Paging;

/// <summary>
/// Where a keyset page ended — the last row's time and id — as an opaque string for the caller to hand back: base64 of
/// "ticks:id". Pages ordered by (time, id) continue after it, which stays fast however deep the list is (the review
/// queue, the candidate's message centre). The provincial feeds have their own position (<c>FeedCursor</c>).
/// </summary>
public static class KeysetCursor
{
    public static string Format(DateTimeOffset at, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{id:N}"));

    /// <summary>False for anything <see cref="Format"/> did not make (bad base64, shape, time or id).</summary>
    public static bool TryParse(string value, out (DateTimeOffset At, Guid Id) cursor)
    {
        cursor = default;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(value)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && Guid.TryParseExact(parts[1], "N", out var id) && ticks > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
            return false;
        }
        return false;
    }
}
