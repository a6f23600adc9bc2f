using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>What to do with a request given the record its key already has.</summary>
public enum IdempotencyVerdict
{
    /// <summary>A new key: run the request.</summary>
    Run,

    /// <summary>The same request succeeded before: answer with its stored response.</summary>
    Replay,

    /// <summary>The key was used for a different request: 422 idempotency_key_reused.</summary>
    Mismatch,

    /// <summary>The same request is still running: 409 idempotency_request_in_progress (retry later).</summary>
    InProgress,

    /// <summary>The same request was started but never finished (its process died): run it again.</summary>
    TakeOver,
}

public static class IdempotencyRules
{
    public static IdempotencyVerdict Decide(IdempotencyRecord? existing, string requestHash, DateTimeOffset now, IdempotencyOptions options)
    {
        if (existing is null || existing.ExpiresAt <= now)
        {
            return existing is null ? IdempotencyVerdict.Run : IdempotencyVerdict.TakeOver;
        }
        if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
        {
            return IdempotencyVerdict.Mismatch;
        }
        if (existing.StatusCode is not null)
        {
            return IdempotencyVerdict.Replay;
        }
        return now - existing.CreatedAt < options.AbandonedAfter ? IdempotencyVerdict.InProgress : IdempotencyVerdict.TakeOver;
    }

    /// <summary>The request's fingerprint: method, path and the JSON of its body, so a retry of the same call matches and any other does not.</summary>
    public static string Fingerprint(string method, string path, string? bodyJson) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{method}\n{path}\n{bodyJson}")));
}

/// <summary>
/// <c>Idempotency-Key</c> on a POST: the first request runs and its successful response is stored (in the service's own
/// database, <see cref="IdempotencyRecord"/>); the same key with the same request replays that response
/// (<c>Idempotent-Replayed: true</c>); the same key with another request is a 422. A refused request (4xx) stores
/// nothing: the client corrects it and may retry under the same key.
/// </summary>
public sealed class IdempotencyFilter<TDbContext> : IEndpointFilter where TDbContext : ServiceDbContext
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > IdempotencyModel.MaxKeyLength)
        {
            return IdempotencyProblems.KeyRequired();
        }
        var services = http.RequestServices;
        var options = services.GetRequiredService<IdempotencyOptions>();
        var clock = services.GetRequiredService<TimeProvider>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var client = http.User.ProvincialClientId();
        var hash = IdempotencyRules.Fingerprint(http.Request.Method, http.Request.Path, BodyJson(context, json));

        // The key's bookkeeping uses a context of its own: the handler's context may hold changes it decided not to save.
        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var keys = db.Set<IdempotencyRecord>();
        var now = clock.GetUtcNow();
        var existing = await keys.SingleOrDefaultAsync(r => r.Client == client && r.Key == key, http.RequestAborted);
        switch (IdempotencyRules.Decide(existing, hash, now, options))
        {
            case IdempotencyVerdict.Replay:
                return Replay(http, existing!);
            case IdempotencyVerdict.Mismatch:
                return IdempotencyProblems.KeyReused();
            case IdempotencyVerdict.InProgress:
                return IdempotencyProblems.InProgress();
            case IdempotencyVerdict.TakeOver:
                keys.Remove(existing!);
                await db.SaveChangesAsync(http.RequestAborted);
                break;
        }
        var record = new IdempotencyRecord { Client = client, Key = key, RequestHash = hash, CreatedAt = now, ExpiresAt = now + options.EffectiveRetention };
        keys.Add(record);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException e) when (e.IsLostRace())
        {
            // The same key arrived twice at once: the other request holds it.
            return IdempotencyProblems.InProgress();
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await ForgetAsync(db, record);
            throw;
        }
        // A handler's Results<…> union wraps the result it chose.
        var outcome = result;
        while (outcome is INestedHttpResult nested)
        {
            outcome = nested.Result;
        }
        if (outcome is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success)
        {
            record.StatusCode = success.StatusCode;
            record.ContentType = "application/json";
            record.Body = outcome is IValueHttpResult { Value: { } value } ? JsonSerializer.Serialize(value, value.GetType(), json) : null;
            record.ETag = http.Response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null;
            record.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        else
        {
            await ForgetAsync(db, record);
        }
        return result;
    }

    private static async Task ForgetAsync(TDbContext db, IdempotencyRecord record)
    {
        db.Set<IdempotencyRecord>().Remove(record);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static IResult Replay(HttpContext http, IdempotencyRecord record)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        if (record.ETag is not null)
        {
            http.Response.Headers.ETag = record.ETag;
        }
        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }
        return record.Body is null
            ? TypedResults.StatusCode(record.StatusCode!.Value)
            : TypedResults.Text(record.Body, record.ContentType, Encoding.UTF8, record.StatusCode);
    }

    /// <summary>
    /// The JSON body the endpoint bound (its declared request type), as the framework serialises it: a handler argument
    /// of that type, or a property of that type of an <c>[AsParameters]</c> record.
    /// </summary>
    private static string? BodyJson(EndpointFilterInvocationContext context, JsonSerializerOptions json)
    {
        var requestType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        if (requestType is null)
        {
            return null;
        }
        var body = context.Arguments.FirstOrDefault(a => a is not null && a.GetType() == requestType)
            ?? context.Arguments.Where(a => a is not null && EndpointArguments.IsParameterRecord(context, a))
                .SelectMany(a => a!.GetType().GetProperties().Where(p => p.PropertyType == requestType).Select(p => p.GetValue(a)))
                .FirstOrDefault(v => v is not null);
        return body is null ? null : JsonSerializer.Serialize(body, requestType, json);
    }
}
