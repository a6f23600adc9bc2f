using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.UnitTests.Provincial;

public sealed class IdempotencyRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly IdempotencyOptions Options = new();

    private static IdempotencyRecord Record(string hash, int? status, DateTimeOffset created) => new()
    {
        Client = "hunan", Key = "k1", RequestHash = hash, StatusCode = status, CreatedAt = created, ExpiresAt = created + Options.EffectiveRetention,
    };

    [Fact]
    public void A_new_key_runs() => Assert.Equal(IdempotencyVerdict.Run, IdempotencyRules.Decide(null, "h", Now, Options));

    [Fact]
    public void The_same_request_after_success_replays() =>
        Assert.Equal(IdempotencyVerdict.Replay, IdempotencyRules.Decide(Record("h", 200, Now.AddHours(-23)), "h", Now, Options));

    [Fact]
    public void Another_request_under_the_same_key_is_a_mismatch_even_while_the_first_runs()
    {
        Assert.Equal(IdempotencyVerdict.Mismatch, IdempotencyRules.Decide(Record("h", 200, Now.AddMinutes(-1)), "other", Now, Options));
        Assert.Equal(IdempotencyVerdict.Mismatch, IdempotencyRules.Decide(Record("h", null, Now), "other", Now, Options));
    }

    [Fact]
    public void A_running_first_request_holds_the_key_until_it_is_abandoned()
    {
        Assert.Equal(IdempotencyVerdict.InProgress, IdempotencyRules.Decide(Record("h", null, Now.AddSeconds(-10)), "h", Now, Options));
        Assert.Equal(IdempotencyVerdict.TakeOver, IdempotencyRules.Decide(Record("h", null, Now - Options.AbandonedAfter), "h", Now, Options));
    }

    [Fact]
    public void An_expired_key_is_free_again_whatever_it_held() =>
        Assert.Equal(IdempotencyVerdict.TakeOver, IdempotencyRules.Decide(Record("h", 200, Now.AddHours(-25)), "other", Now, Options));

    [Fact]
    public void Keys_are_kept_at_least_a_day_whatever_is_configured()
    {
        Assert.Equal(TimeSpan.FromHours(24), new IdempotencyOptions { Retention = TimeSpan.FromMinutes(5) }.EffectiveRetention);
        Assert.Equal(TimeSpan.FromHours(48), new IdempotencyOptions { Retention = TimeSpan.FromHours(48) }.EffectiveRetention);
    }

    [Fact]
    public void The_fingerprint_covers_method_path_and_body()
    {
        var original = IdempotencyRules.Fingerprint("POST", "/api/v1/provincial/reviews/1/decisions", """{"decision":"approve"}""");
        Assert.Equal(original, IdempotencyRules.Fingerprint("POST", "/api/v1/provincial/reviews/1/decisions", """{"decision":"approve"}"""));
        Assert.NotEqual(original, IdempotencyRules.Fingerprint("POST", "/api/v1/provincial/reviews/2/decisions", """{"decision":"approve"}"""));
        Assert.NotEqual(original, IdempotencyRules.Fingerprint("POST", "/api/v1/provincial/reviews/1/decisions", """{"decision":"reject"}"""));
    }

    [Theory]
    [InlineData("\"3\"", "\"3\"", true)]
    [InlineData("\"2\", \"3\"", "\"3\"", true)]
    [InlineData("*", "\"3\"", true)]
    [InlineData("\"2\"", "\"3\"", false)]
    [InlineData("W/\"3\"", "\"3\"", false)] // If-Match compares strongly: a weak tag never matches
    [InlineData("3", "\"3\"", false)]
    public void If_match_compares_entity_tags_strongly(string ifMatch, string current, bool matches) =>
        Assert.Equal(matches, Preconditions.Matches(ifMatch, current));
}
