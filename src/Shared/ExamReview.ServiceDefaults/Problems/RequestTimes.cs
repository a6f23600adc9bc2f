namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// A time a client sends (a period's ends, a deadline) lies in the years the platform can compute with: from 2000 up to
/// 2100. At the edges of what .NET represents, the day before, thirty days back or the same instant on Beijing's clock
/// cannot be formed, and <c>to=0001-01-10T00:00:00Z</c> or <c>deadline=9999-12-31T23:00:00Z</c> was a 500.
/// </summary>
public static class RequestTimes
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool InRange(DateTimeOffset? value) => value is not { } at || (at >= Earliest && at < Latest);

    /// <summary>Adds the field's error when <paramref name="value"/> is given and outside 2000–2099 (UTC).</summary>
    public static RequestErrors RequireTimeInRange(this RequestErrors errors, DateTimeOffset? value, string field) =>
        errors.Require(InRange(value), field, "应为 2000 年至 2099 年之间的时间。", "must be a time in the years 2000 to 2099");
}
