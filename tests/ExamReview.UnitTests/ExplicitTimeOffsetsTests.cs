using System.Text.Json;
using ExamReview.ServiceDefaults.Problems;

namespace ExamReview.UnitTests;

/// <summary>A time a client sends must name its offset (ExplicitTimeOffsets): Z or ±hh:mm after the time of day.</summary>
public sealed class ExplicitTimeOffsetsTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new RequiredOffsetConverter() } };

    private sealed record Round(DateTimeOffset? EndsAt);

    [Theory]
    [InlineData("2027-03-01T18:00:00+08:00")]
    [InlineData("2027-03-01T10:00:00Z")]
    [InlineData("2027-03-01T10:00:00z")]
    [InlineData("2027-03-01T10:00:00.1234567Z")]
    [InlineData("2027-03-01T18:00+08:00")]
    [InlineData("2027-03-01T18:00:00+0800")]
    [InlineData("2027-03-01T05:00:00-05:00")]
    public void Times_with_an_offset_pass(string value) => Assert.True(ExplicitTimeOffsets.HasOffset(value));

    [Theory]
    [InlineData("2027-03-01T18:00:00")]
    [InlineData("2027-03-01T18:00")]
    [InlineData("2027-03-01")] // midnight, but whose?
    [InlineData("2027-03-01T18:00:00.5")]
    public void Times_without_one_are_refused(string value) => Assert.False(ExplicitTimeOffsets.HasOffset(value));

    [Fact]
    public void A_body_time_with_an_offset_reads_as_that_instant_and_writes_as_before()
    {
        var round = JsonSerializer.Deserialize<Round>("""{"EndsAt":"2027-03-01T18:00:00+08:00"}""", Options)!;

        Assert.Equal(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero), round.EndsAt);
        Assert.Equal(JsonSerializer.Serialize(round), JsonSerializer.Serialize(round, Options));
        Assert.Null(JsonSerializer.Deserialize<Round>("""{"EndsAt":null}""", Options)!.EndsAt);
    }

    [Fact]
    public void A_body_time_without_one_is_refused_naming_where()
    {
        var refused = Assert.Throws<TimeWithoutOffsetException>(() => JsonSerializer.Deserialize<Round>("""{"EndsAt":"2027-03-01T18:00:00"}""", Options));
        Assert.Equal("$.EndsAt", refused.Path);
        // Not a time at all: the general malformed-body problem, not this one.
        var malformed = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Round>("""{"EndsAt":"tomorrow"}""", Options));
        Assert.IsNotType<TimeWithoutOffsetException>(malformed);
    }
}
