using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExamReview.IntegrationTests.Platform;
using Microsoft.Data.Sqlite;

namespace ExamReview.IntegrationTests.Tests.Accounts;

/// <summary>
/// Nobody learns from the error codes which ID numbers have accounts: an active account, a registration that has not
/// activated one, and a number nobody registered answer repeated reset requests and repeated wrong passwords with the
/// same statuses, codes, texts and waiting times, and their attempts write the same rows. Each test uses its own fresh
/// numbers.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed partial class AccountEnumerationTests(AccountsPlatform platform)
{
    private PlatformClient Client => platform.Client;

    [Fact]
    public async Task A_repeated_reset_request_gets_the_same_cool_down_whether_or_not_the_ID_number_has_an_account()
    {
        var numbers = await ThreeKindsOfNumberAsync();
        var answers = new List<List<string>>();
        foreach (var idNumber in numbers)
        {
            var answer = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                using var reset = await AccountSteps.PostAsync(Client, "/password-reset", new { idNumber });
                answer.Add(await DescribeAsync(reset));
            }
            answers.Add(answer);
        }
        Assert.StartsWith("202 challengeId,expiresAt", answers[0][0], StringComparison.Ordinal);
        Assert.Equal("429 code_recently_sent retry-after=N 验证码刚刚发送过，请在 N 秒后再获取。", answers[0][1]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_every_ID_number_alike_whether_or_not_it_has_an_account()
    {
        var numbers = await ThreeKindsOfNumberAsync();
        var answers = new List<List<string>>();
        var rows = new List<(long Audit, long Attempts)>();
        foreach (var idNumber in numbers)
        {
            var answer = new List<string>();
            var before = await LogRowsAsync();
            for (var i = 1; i <= 6; i++)
            {
                using var signIn = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber, password = $"Wrong#{i}pass" });
                answer.Add(await DescribeAsync(signIn));
            }
            // An empty password is a failure too (and, locked, refused like any other).
            using (var empty = await AccountSteps.PostAsync(Client, "/sign-in", new { idNumber, password = "" }))
            {
                answer.Add(await DescribeAsync(empty));
            }
            answers.Add(answer);
            var after = await LogRowsAsync();
            rows.Add((after.Audit - before.Audit, after.Attempts - before.Attempts));
        }
        var invalid = "401 invalid_credentials 证件号码或密码不正确。连续多次错误后账户将被暂时锁定。";
        var locked = "423 account_locked retry-after=N 连续登录失败次数过多，账户已暂时锁定，请在 N 分钟后再试；也可以通过短信验证码重置密码。";
        Assert.Equal([invalid, invalid, invalid, invalid, locked, locked, locked], answers[0]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
        // Nor from the time they take: the same rows written for each — four failures, the fifth and its lock-out, and
        // one for each attempt refused while locked (no hash is computed then, so a row on one side only would show) —
        // to the account's audit log, or to the attempt log of a number without one.
        Assert.Equal([(8L, 0L), (0L, 8L), (0L, 8L)], rows);

        // The reset stays open while locked, for every kind of number alike; and its challenge, taken to the sign-in's
        // second step, is no challenge there for any of them (a real account's lock would otherwise answer 423).
        var afterReset = new List<string>();
        foreach (var idNumber in numbers)
        {
            using var reset = await AccountSteps.PostAsync(Client, "/password-reset", new { idNumber });
            Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
            var challengeId = (await reset.Content.ReadFromJsonAsync<JsonNode>())!["challengeId"]!.GetValue<string>();
            using var code = await AccountSteps.PostAsync(Client, "/sign-in/code", new { challengeId, code = "123456" });
            afterReset.Add(await DescribeAsync(code));
        }
        Assert.StartsWith("401 code_invalid", afterReset[0], StringComparison.Ordinal);
        Assert.Equal([afterReset[0], afterReset[0], afterReset[0]], afterReset);
    }

    /// <summary>The rows of Registration's account audit log and of its attempt log for numbers without an account.</summary>
    private async Task<(long Audit, long Attempts)> LogRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(platform.DataDirectory, "registrationdb.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM \"AccountAuditLog\"), (SELECT COUNT(*) FROM \"IdNumberAttemptLog\")";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>An activated account's number, a registered but not activated one, and one nobody registered.</summary>
    private async Task<string[]> ThreeKindsOfNumberAsync()
    {
        var active = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        await AccountSteps.ActivateAsync(Client, active);
        var inactive = await AccountSteps.RegisterAsync(Client, AccountsPlatform.PasswordArea, AccountsPlatform.PasswordSite);
        return [active.IdNumber, inactive.IdNumber, AccountSteps.NewIdNumber()];
    }

    /// <summary>
    /// What an outsider sees, with numbers (seconds and minutes to wait, which move with the clock) replaced by N: the
    /// status, and a success's field names or a problem's code, Retry-After and Chinese text.
    /// </summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        if (status < 400)
        {
            return $"{status} {string.Join(",", body.Select(p => p.Key).Order(StringComparer.Ordinal))}";
        }
        var problem = await PlatformClient.ProblemAsync(response, response.StatusCode);
        var wait = response.Headers.RetryAfter is null ? "" : " retry-after=N";
        Assert.Equal(response.Headers.RetryAfter is not null, problem["retryAfterSeconds"] is not null);
        return $"{status} {problem["code"]!.GetValue<string>()}{wait} {Digits().Replace(problem["detail"]!.GetValue<string>(), "N")}";
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
