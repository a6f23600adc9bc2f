using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExamReview.Contracts;
using Microsoft.Extensions.Options;

namespace ExamReview.Notification.Sms;

/// <summary>
/// Alibaba Cloud SMS (dysmsapi, version 2017-05-25) over its RPC API: <c>SendSms</c> with PhoneNumbers, SignName,
/// TemplateCode, TemplateParam and OutId; <c>QuerySendDetails</c> by number and send date, whose records carry the
/// OutId back. Requests are signed as the provider specifies (signature 1.0, HMAC-SHA1, form-encoded POST).
/// </summary>
public sealed class AliyunSmsProvider(HttpClient http, IOptions<SmsProviderOptions> options, TimeProvider clock) : ISmsProvider
{
    public const string HttpClientName = "sms-provider";
    private const int QueryPageSize = 50;
    private const int MaxQueryDays = 7;
    private readonly SmsProviderOptions _options = options.Value;

    public async Task<ProviderSendResult> SendAsync(ProviderSmsRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = "SendSms",
            ["PhoneNumbers"] = request.MobileNumber,
            ["SignName"] = request.SignName,
            ["TemplateCode"] = request.TemplateCode,
            ["OutId"] = request.OutId,
        };
        if (request.TemplateParamJson is not null)
        {
            parameters["TemplateParam"] = request.TemplateParamJson;
        }
        using var body = await CallAsync(parameters, mayHaveBeenSent: true, cancellationToken);
        var root = body.RootElement;
        var code = root.TryGetProperty("Code", out var c) ? c.GetString() : null;
        if (code == "OK")
        {
            return ProviderSendResult.Ok(root.TryGetProperty("BizId", out var biz) ? biz.GetString() : null);
        }
        var message = root.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";
        if (IsTemporary(code))
        {
            // The provider answered with a temporary refusal: it did not take the SMS.
            throw new SmsProviderUnavailableException($"{code}: {message}", mayHaveBeenSent: false);
        }
        return ProviderSendResult.Refused(code ?? "unknown", message);
    }

    public async Task<ProviderSmsRecord?> FindAsync(string mobileNumber, string outId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // The provider lists a number's SMS per send date (China time): look at each day since the first attempt.
        var firstDay = ChinaTime.Of(since).Date;
        var today = ChinaTime.Of(clock.GetUtcNow()).Date;
        for (var day = firstDay; day <= today && (day - firstDay).TotalDays < MaxQueryDays; day = day.AddDays(1))
        {
            for (var page = 1; ; page++)
            {
                var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["Action"] = "QuerySendDetails",
                    ["PhoneNumber"] = mobileNumber,
                    ["SendDate"] = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
                    ["PageSize"] = QueryPageSize.ToString(CultureInfo.InvariantCulture),
                    ["CurrentPage"] = page.ToString(CultureInfo.InvariantCulture),
                };
                using var body = await CallAsync(parameters, mayHaveBeenSent: false, cancellationToken);
                var root = body.RootElement;
                var code = root.TryGetProperty("Code", out var c) ? c.GetString() : null;
                if (code != "OK")
                {
                    var message = root.TryGetProperty("Message", out var m) ? m.GetString() : null;
                    throw new SmsProviderUnavailableException($"QuerySendDetails answered {code}: {message}", mayHaveBeenSent: false);
                }
                var details = root.TryGetProperty("SmsSendDetailDTOs", out var dtos) && dtos.TryGetProperty("SmsSendDetailDTO", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().ToList()
                    : [];
                foreach (var detail in details)
                {
                    if (detail.TryGetProperty("OutId", out var id) && id.GetString() == outId)
                    {
                        return ToRecord(outId, detail);
                    }
                }
                var total = root.TryGetProperty("TotalCount", out var t) && t.TryGetInt32(out var count) ? count : 0;
                if (page * QueryPageSize >= total || details.Count == 0)
                {
                    break;
                }
            }
        }
        return null;
    }

    private static ProviderSmsRecord ToRecord(string outId, JsonElement detail)
    {
        var status = detail.TryGetProperty("SendStatus", out var s) && s.TryGetInt32(out var value) ? value : 1;
        var state = status switch
        {
            3 => ProviderDeliveryState.Delivered,
            2 => ProviderDeliveryState.Failed,
            _ => ProviderDeliveryState.Waiting,
        };
        DateTimeOffset? received = detail.TryGetProperty("ReceiveDate", out var r)
            && DateTime.TryParseExact(r.GetString(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? ChinaTime.FromWallClock(local).ToUniversalTime()
            : null;
        return new ProviderSmsRecord(
            outId,
            detail.TryGetProperty("BizId", out var biz) ? biz.GetString() : null,
            state,
            detail.TryGetProperty("ErrCode", out var err) ? err.GetString() : null,
            received);
    }

    private async Task<JsonDocument> CallAsync(Dictionary<string, string> parameters, bool mayHaveBeenSent, CancellationToken cancellationToken)
    {
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("Sms:Provider:Endpoint is not configured.");
        parameters["Format"] = "JSON";
        parameters["Version"] = "2017-05-25";
        parameters["RegionId"] = _options.RegionId;
        parameters["AccessKeyId"] = _options.AccessKeyId ?? "";
        parameters["SignatureMethod"] = "HMAC-SHA1";
        parameters["SignatureVersion"] = "1.0";
        parameters["SignatureNonce"] = Guid.NewGuid().ToString("N");
        parameters["Timestamp"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        parameters["Signature"] = Sign("POST", parameters, _options.AccessKeySecret ?? "");

        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(parameters);
            response = await http.PostAsync(new Uri(endpoint), content, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound })
        {
            throw new SmsProviderUnavailableException($"The SMS provider is unreachable: {ex.Message}", mayHaveBeenSent: false, ex);
        }
        catch (HttpRequestException ex)
        {
            // The request may have arrived and been processed; only the answer is missing.
            throw new SmsProviderUnavailableException($"The SMS provider did not answer: {ex.Message}", mayHaveBeenSent, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonDocument? document = null;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                // not the provider's JSON: a gateway in between answered
            }
            if (document is not null && document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Code", out _))
            {
                var code = document.RootElement.GetProperty("Code").GetString();
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests || IsTemporary(code))
                {
                    var message = document.RootElement.TryGetProperty("Message", out var m) ? m.GetString() : null;
                    document.Dispose();
                    // An explicit error from the provider itself: it did not take the request.
                    throw new SmsProviderUnavailableException($"{(int)response.StatusCode} {code}: {message}", mayHaveBeenSent: false);
                }
                return document;
            }
            document?.Dispose();
            throw new SmsProviderUnavailableException(
                $"The SMS provider answered {(int)response.StatusCode} without a provider response: {Truncate(text, 200)}",
                mayHaveBeenSent && (int)response.StatusCode >= 500);
        }
    }

    /// <summary>Codes that say "not now" rather than "never": system errors, throttling, flow control.</summary>
    private static bool IsTemporary(string? code) =>
        code is not null && (code.StartsWith("isp.", StringComparison.Ordinal)
            || code.StartsWith("Throttling", StringComparison.Ordinal)
            || code is "ServiceUnavailable" or "InternalError" or "isv.BUSINESS_LIMIT_CONTROL" or "SignatureNonceUsed");

    /// <summary>Alibaba Cloud RPC signature 1.0: HMAC-SHA1 over <c>POST&amp;%2F&amp;</c> + the percent-encoded sorted query, keyed by secret + "&amp;".</summary>
    public static string Sign(string method, IReadOnlyDictionary<string, string> parameters, string secret)
    {
        var canonical = string.Join('&', parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var stringToSign = method + "&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(canonical);
#pragma warning disable CA5350 // the provider's signature protocol prescribes HMAC-SHA1
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(stringToSign)));
#pragma warning restore CA5350
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

/// <summary>
/// Used when no provider endpoint is configured (a service process on its own, without the embedded stub): logs each
/// SMS and remembers it for this process's lifetime, so the dispatcher's logic stays the same.
/// </summary>
public sealed class LogSmsProvider(TimeProvider clock, ILogger<LogSmsProvider> logger) : ISmsProvider
{
    private readonly ConcurrentDictionary<string, ProviderSmsRecord> _sent = new(StringComparer.Ordinal);

    public Task<ProviderSendResult> SendAsync(ProviderSmsRequest request, CancellationToken cancellationToken)
    {
        var record = _sent.GetOrAdd(request.OutId, id =>
        {
            logger.LogInformation("SMS {OutId} to {Mobile}: {Text}", id, Mask(request.MobileNumber), request.Text);
            return new ProviderSmsRecord(id, "log-" + id, ProviderDeliveryState.Delivered, "DELIVERED", clock.GetUtcNow());
        });
        return Task.FromResult(ProviderSendResult.Ok(record.BizId));
    }

    public Task<ProviderSmsRecord?> FindAsync(string mobileNumber, string outId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(_sent.GetValueOrDefault(outId));

    private static string Mask(string mobile) => mobile.Length >= 7 ? mobile[..3] + "****" + mobile[^4..] : "****";
}
