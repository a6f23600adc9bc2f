using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>
/// Every <see cref="DateTimeOffset"/> a service stores or compares is taken as the instant it names, whatever offset
/// the client wrote it in (<c>2027-03-01T08:00:00+08:00</c> is <c>2027-03-01T00:00:00Z</c>). Applied to every such
/// property, so to every query parameter compared with one too: a filter, a round's end date or a replay's
/// <c>since</c> sent with China's offset is neither a 500 (Npgsql writes only offset 0 to <c>timestamptz</c>) nor,
/// on SQLite, eight hours off (EF's binary converter keeps the local ticks and orders by them).
/// </summary>
public static class UtcTimestamps
{
    /// <summary>PostgreSQL: the instant in UTC, which is all <c>timestamptz</c> keeps.</summary>
    public sealed class PostgreSqlConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(value => value.ToUniversalTime(), value => value);

    /// <summary>
    /// SQLite: the layout of EF's <see cref="DateTimeOffsetToBinaryConverter"/> (milliseconds' ticks shifted past an
    /// 11-bit offset in minutes), always written with offset 0, so the integers order as the instants do. A UTC value
    /// is the same integer as before, and a value some earlier write kept with its offset still reads back as written.
    /// </summary>
    public sealed class SqliteConverter() : ValueConverter<DateTimeOffset, long>(
        value => (value.UtcTicks / 1000) << 11,
        stored => new DateTimeOffset(new DateTime((stored >> 11) * 1000), new TimeSpan(0, (int)((stored << 53) >> 53), 0)));
}
