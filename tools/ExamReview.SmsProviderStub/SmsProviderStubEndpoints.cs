using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExamReview.SmsProviderStub;

public sealed record StubMessagesView(long SendCalls, long QueryCalls, long RefusedCalls, IReadOnlyList<StubSms> Messages);

/// <summary>
/// Alibaba Cloud SMS's RPC API as far as the platform uses it (Action=SendSms, Action=QuerySendDetails, signature
/// version 1.0 with HMAC-SHA1), answered from memory, plus a control surface under <c>{prefix}/_stub</c> that tests
/// and developers use to see what arrived and to make the provider fail, recover or slow down.
/// </summary>
public static class SmsProviderStubEndpoints
{
    public const string DefaultPrefix = "/sms-stub";

    public static IServiceCollection AddSmsProviderStub(this IServiceCollection services, SmsProviderStubOptions options) =>
        services.AddSingleton(new SmsProviderStub(options));

    /// <param name="controlPolicy">Authorization policy for the control endpoints; null leaves them open (tests' private hosts).</param>
    public static IEndpointRouteBuilder MapSmsProviderStub(this IEndpointRouteBuilder app, string prefix = DefaultPrefix, string? controlPolicy = null)
    {
        var group = app.MapGroup(prefix).WithTags("SMS provider stub");
        // The provider API authenticates by request signature, not by platform token.
        group.MapPost("/", HandleRpcAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("/", HandleRpcAsync).AllowAnonymous().ExcludeFromDescription();

        var control = group.MapGroup("/_stub");
        control.MapGet("/messages", (string? phone, SmsProviderStub stub) =>
            TypedResults.Ok(new StubMessagesView(stub.SendCalls, stub.QueryCalls, stub.RefusedCalls, phone is null ? stub.Received : stub.For(phone))))
            .WithName("listStubSms").WithSummary("模拟服务商收到的短信（可按手机号筛选）");
        control.MapGet("/behaviour", (SmsProviderStub stub) => TypedResults.Ok(stub.Behaviour)).WithName("getStubBehaviour").WithSummary("模拟服务商当前的行为设置");
        control.MapPut("/behaviour", (StubBehaviour behaviour, SmsProviderStub stub) =>
        {
            stub.Behaviour = behaviour;
            return TypedResults.Ok(stub.Behaviour);
        }).WithName("putStubBehaviour").WithSummary("设置模拟服务商的行为（失败、延迟等）");
        if (controlPolicy is null)
        {
            control.AllowAnonymous();
        }
        else
        {
            control.RequireAuthorization(controlPolicy);
        }
        return app;
    }

    private static async Task HandleRpcAsync(HttpContext context, SmsProviderStub stub)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            parameters[key] = value.ToString();
        }
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }

        var refusal = Authenticate(context.Request.Method, parameters, stub);
        if (refusal is not null)
        {
            await WriteAsync(context, refusal.Value.Status, Error(refusal.Value.Code, refusal.Value.Message));
            return;
        }

        var action = parameters.GetValueOrDefault("Action");
        var fault = stub.NextFault(isSend: action == "SendSms");
        switch (fault)
        {
            case StubFault.Down:
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Error("ServiceUnavailable", "The request has failed due to a temporary failure of the server."));
                return;
            case StubFault.SystemError:
                await WriteAsync(context, StatusCodes.Status500InternalServerError, Error("isp.SYSTEM_ERROR", "System error."));
                return;
        }

        switch (action)
        {
            case "SendSms":
                await SendSmsAsync(context, parameters, stub, fault == StubFault.LoseResponse);
                return;
            case "QuerySendDetails":
                await QuerySendDetailsAsync(context, parameters, stub);
                return;
            default:
                await WriteAsync(context, StatusCodes.Status400BadRequest, Error("InvalidAction.NotFound", $"Specified api '{action}' is not found."));
                return;
        }
    }

    private static async Task SendSmsAsync(HttpContext context, Dictionary<string, string> parameters, SmsProviderStub stub, bool loseResponse)
    {
        var phone = parameters.GetValueOrDefault("PhoneNumbers");
        var sign = parameters.GetValueOrDefault("SignName");
        var template = parameters.GetValueOrDefault("TemplateCode");
        if (string.IsNullOrEmpty(phone) || phone.Length != 11 || !phone.All(char.IsAsciiDigit))
        {
            await WriteAsync(context, StatusCodes.Status200OK, Error("isv.MOBILE_NUMBER_ILLEGAL", "Invalid mobile number."));
            return;
        }
        if (string.IsNullOrEmpty(sign))
        {
            await WriteAsync(context, StatusCodes.Status200OK, Error("isv.SMS_SIGNATURE_ILLEGAL", "The SMS signature is missing."));
            return;
        }
        if (string.IsNullOrEmpty(template))
        {
            await WriteAsync(context, StatusCodes.Status200OK, Error("isv.SMS_TEMPLATE_ILLEGAL", "The SMS template code is missing."));
            return;
        }

        var sms = stub.Accept(phone, sign, template, parameters.GetValueOrDefault("TemplateParam"), parameters.GetValueOrDefault("OutId"));
        if (loseResponse)
        {
            // Accepted and recorded, but the caller never hears about it: its outcome is unknown.
            context.Abort();
            return;
        }
        await WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            ["Code"] = "OK",
            ["Message"] = "OK",
            ["BizId"] = sms.BizId,
            ["RequestId"] = Guid.NewGuid().ToString("D").ToUpperInvariant(),
        });
    }

    private static async Task QuerySendDetailsAsync(HttpContext context, Dictionary<string, string> parameters, SmsProviderStub stub)
    {
        var phone = parameters.GetValueOrDefault("PhoneNumber");
        var sendDate = parameters.GetValueOrDefault("SendDate");
        if (string.IsNullOrEmpty(phone) || string.IsNullOrEmpty(sendDate) || sendDate.Length != 8)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, Error("isv.INVALID_PARAMETERS", "PhoneNumber and SendDate (yyyyMMdd) are required."));
            return;
        }
        var pageSize = int.TryParse(parameters.GetValueOrDefault("PageSize"), CultureInfo.InvariantCulture, out var size) ? Math.Clamp(size, 1, 50) : 10;
        var page = int.TryParse(parameters.GetValueOrDefault("CurrentPage"), CultureInfo.InvariantCulture, out var current) ? Math.Max(current, 1) : 1;
        var all = stub.Query(phone, sendDate, parameters.GetValueOrDefault("BizId"));
        var details = all.Skip((page - 1) * pageSize).Take(pageSize).Select(s => new Dictionary<string, object?>
        {
            ["PhoneNum"] = s.PhoneNumber,
            ["SendStatus"] = s.SendStatus,
            ["ErrCode"] = s.ErrCode,
            ["TemplateCode"] = s.TemplateCode,
            ["Content"] = null,
            ["SendDate"] = SmsProviderStub.ChinaTime(s.ReceivedAt),
            ["ReceiveDate"] = SmsProviderStub.ChinaTime(s.ReceivedAt),
            ["OutId"] = s.OutId,
        }).ToList();
        await WriteAsync(context, StatusCodes.Status200OK, new Dictionary<string, object?>
        {
            ["Code"] = "OK",
            ["Message"] = "OK",
            ["TotalCount"] = all.Count,
            ["RequestId"] = Guid.NewGuid().ToString("D").ToUpperInvariant(),
            ["SmsSendDetailDTOs"] = new Dictionary<string, object?> { ["SmsSendDetailDTO"] = details },
        });
    }

    private static (int Status, string Code, string Message)? Authenticate(string method, Dictionary<string, string> parameters, SmsProviderStub stub)
    {
        var options = stub.Options;
        if (string.IsNullOrEmpty(options.AccessKeyId))
        {
            return null;
        }
        if (parameters.GetValueOrDefault("AccessKeyId") != options.AccessKeyId)
        {
            return (StatusCodes.Status404NotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        if (parameters.GetValueOrDefault("SignatureMethod") != "HMAC-SHA1" || parameters.GetValueOrDefault("SignatureVersion") != "1.0")
        {
            return (StatusCodes.Status400BadRequest, "InvalidSignatureMethod", "Only HMAC-SHA1 signature version 1.0 is supported.");
        }
        if (!DateTimeOffset.TryParseExact(parameters.GetValueOrDefault("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            || (stub.Clock.GetUtcNow() - timestamp).Duration() > TimeSpan.FromMinutes(15))
        {
            return (StatusCodes.Status400BadRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
        if (!parameters.TryGetValue("Signature", out var signature))
        {
            return (StatusCodes.Status400BadRequest, "MissingSignature", "Signature is mandatory for this action.");
        }
        var expected = Sign(method, parameters.Where(p => p.Key != "Signature"), options.AccessKeySecret ?? "");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            return (StatusCodes.Status400BadRequest, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }
        if (!stub.RememberNonce(parameters.GetValueOrDefault("SignatureNonce") ?? ""))
        {
            return (StatusCodes.Status400BadRequest, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        return null;
    }

    /// <summary>Alibaba Cloud RPC signature 1.0: HMAC-SHA1 over METHOD&amp;%2F&amp;percent-encoded sorted query, keyed by secret + "&amp;".</summary>
    private static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string secret)
    {
        var canonical = string.Join('&', parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        var stringToSign = method.ToUpperInvariant() + "&" + Uri.EscapeDataString("/") + "&" + Uri.EscapeDataString(canonical);
#pragma warning disable CA5350 // the provider's signature protocol prescribes HMAC-SHA1
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret + "&"), Encoding.UTF8.GetBytes(stringToSign));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    private static Dictionary<string, object?> Error(string code, string message) => new()
    {
        ["Code"] = code,
        ["Message"] = message,
        ["RequestId"] = Guid.NewGuid().ToString("D").ToUpperInvariant(),
    };

    private static async Task WriteAsync(HttpContext context, int status, Dictionary<string, object?> body)
    {
        // A slow provider has done the work already; only its answer is late (a caller that gives up does not undo it).
        var delay = context.RequestServices.GetRequiredService<SmsProviderStub>().Behaviour.DelayMilliseconds;
        if (delay > 0)
        {
            await Task.Delay(delay, CancellationToken.None);
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }
}

