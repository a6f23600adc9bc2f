using System.Globalization;

namespace ExamReview.Contracts;

/// <summary>
/// Beijing time (UTC+8), the clock of every time a person reads: SMS deadlines, the review timeline, refusals that
/// name a time, printed documents, and the days the trends and the SMS provider count in. China keeps no daylight
/// saving time, so a fixed offset is exact and needs no time-zone database (the containers ship none). Times are
/// stored and sent in UTC; this is only how they are shown.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The same instant on Beijing's clock.</summary>
    public static DateTimeOffset Of(DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>The Beijing calendar day the instant falls on.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The instant a Beijing wall-clock reading (as a provider reports it, without offset) names.</summary>
    public static DateTimeOffset FromWallClock(DateTime wallClock) =>
        new(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified), Offset);

    /// <summary>"2027-01-16 15:40", as an SMS or a refusal shows a deadline.</summary>
    public static string ToMinute(DateTimeOffset at) => Of(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"2027-01-16 15:40:00", as an audit entry records an instant.</summary>
    public static string ToSecond(DateTimeOffset at) => Of(at).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
