using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// A time a client sends names its offset: <c>2027-03-01T18:00:00+08:00</c>, or UTC ending in <c>Z</c>. Without one,
/// .NET reads it in the server's own time zone, so one request named different instants on a UTC host (the
/// containers) and on a Beijing one: an operator's round ending at 18:00 ended at 02:00 the next morning, Beijing
/// time. Such a time is refused (400 <c>time_without_offset</c>, naming the field) wherever a client sends one: in a
/// JSON body (<see cref="RequiredOffsetConverter"/>) and in the query (<see cref="UseExplicitTimeOffsets"/>).
/// </summary>
public static partial class ExplicitTimeOffsets
{
    public const string Code = "time_without_offset";

    private static readonly ConcurrentDictionary<Endpoint, string[]> TimeQueryNamesByEndpoint = new();

    /// <summary>Whether <paramref name="value"/> ends its time of day with <c>Z</c> or <c>±hh:mm</c> (RFC 3339).</summary>
    public static bool HasOffset(string value) => Offset().IsMatch(value);

    public static (string Zh, string En) Describe(string field) => (
        $"时间 {field} 没有写时区，无法确定是哪一时刻：请写成带时区的时间，如北京时间 2027-03-01T18:00:00+08:00，或以 Z 结尾的 UTC 时间。",
        $"The time {field} has no offset, so it names no single instant: send it with one, e.g. 2027-03-01T18:00:00+08:00 (Beijing) or UTC ending in Z.");

    /// <summary>After routing: a query value bound to a time of the endpoint that parses but names no offset is refused before the handler.</summary>
    public static IApplicationBuilder UseExplicitTimeOffsets(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.QueryString.HasValue && context.GetEndpoint() is { } endpoint)
        {
            foreach (var name in TimeQueryNamesByEndpoint.GetOrAdd(endpoint, TimeQueryNames))
            {
                foreach (var value in context.Request.Query[name])
                {
                    // A value that is no time at all is left to the binder's own "format" problem.
                    if (value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, out _) && !HasOffset(value))
                    {
                        var (zh, en) = Describe(name);
                        await Problems.Localised(StatusCodes.Status400BadRequest, Code, zh, en, new Dictionary<string, object?> { ["field"] = name })
                            .ExecuteAsync(context);
                        return;
                    }
                }
            }
        }
        await next(context);
    });

    /// <summary>The query names a minimal API handler binds to a <see cref="DateTimeOffset"/>, its own parameters and those of its <c>[AsParameters]</c> records.</summary>
    private static string[] TimeQueryNames(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return [];
        }
        var names = new List<string>();
        foreach (var parameter in handler.GetParameters())
        {
            if (parameter.GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var constructor = parameter.ParameterType.GetConstructors().MaxBy(c => c.GetParameters().Length);
                names.AddRange((constructor?.GetParameters() ?? []).Where(IsQueryTime).Select(QueryName));
            }
            else if (IsQueryTime(parameter))
            {
                names.Add(QueryName(parameter));
            }
        }
        return [.. names];
    }

    private static bool IsQueryTime(ParameterInfo parameter) =>
        (Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType) == typeof(DateTimeOffset)
        && parameter.GetCustomAttribute<FromBodyAttribute>() is null && parameter.GetCustomAttribute<FromRouteAttribute>() is null
        && parameter.GetCustomAttribute<FromHeaderAttribute>() is null;

    private static string QueryName(ParameterInfo parameter) => parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name!;

    // A time of day, then Z or ±hh[:mm], at the end.
    [GeneratedRegex(@"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d{2}(?::?\d{2})?)\s*$")]
    private static partial Regex Offset();
}

/// <summary>Reads a time in a JSON body as System.Text.Json does (ISO 8601), refusing one without an offset (<see cref="ExplicitTimeOffsets"/>).</summary>
public sealed class RequiredOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException("Not an ISO 8601 time.");
        }
        return ExplicitTimeOffsets.HasOffset(reader.GetString()!) ? value : throw new TimeWithoutOffsetException();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A time without an offset in a JSON body; System.Text.Json adds where (its <see cref="JsonException.Path"/>).</summary>
public sealed class TimeWithoutOffsetException : JsonException
{
    public TimeWithoutOffsetException()
        : base("A time without an offset.")
    {
    }

    public TimeWithoutOffsetException(string message)
        : base(message)
    {
    }

    public TimeWithoutOffsetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
