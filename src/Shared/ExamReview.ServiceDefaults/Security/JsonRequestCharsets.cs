using System.Text;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ExamReview.ServiceDefaults.Security;

/// <summary>
/// The charset of a JSON request body. Minimal APIs decode a body in the charset its Content-Type names and throw when
/// .NET does not know it, so <c>application/json; charset=gbk</c> (common from Chinese clients), <c>charset=utf-7</c> or
/// an empty one was a 500 — and so was <c>charset="utf-8"</c>, a quoted value HTTP allows (RFC 9110 §5.6.6) that the
/// framework takes literally. A quoted charset is unquoted here; one that cannot be decoded is a 415 problem naming
/// it, before any handler runs (after authorisation, so an anonymous caller of a protected path still gets 401).
/// </summary>
public static class JsonRequestCharsets
{
    public static IApplicationBuilder UseJsonRequestCharsets(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var (contentType, refused) = Check(context.Request.ContentType);
        if (refused is not null)
        {
            var shown = ProblemText.Echo(refused);
            await Problems.Problems.Localised(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                    $"请求体的字符编码“{shown}”不受支持，JSON 请求请使用 UTF-8（charset=utf-8，或不写 charset）。",
                    $"The request body's charset '{shown}' is not supported; send JSON as UTF-8 (charset=utf-8, or no charset).")
                .ExecuteAsync(context);
            return;
        }
        if (contentType is not null)
        {
            context.Request.ContentType = contentType;
        }
        await next(context);
    });

    /// <summary>
    /// For a JSON content type with a charset: the content type to read it with when the charset was quoted (else null),
    /// or the charset that cannot be decoded. Other content types, and JSON without a charset, pass unchanged.
    /// </summary>
    public static (string? ContentType, string? Refused) Check(string? contentType)
    {
        // Most requests name no charset (reads have no body, uploads are multipart): they pass without a parse.
        if (contentType is null || !contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)
            || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !IsJson(media) || !media.Charset.HasValue)
        {
            return (null, null);
        }
        var quoted = HeaderUtilities.IsQuoted(media.Charset);
        var charset = HeaderUtilities.RemoveQuotes(media.Charset).ToString().Trim();
        if (!Decodable(charset))
        {
            return (null, charset);
        }
        if (!quoted)
        {
            return (null, null);
        }
        media.Charset = charset;
        return (media.ToString(), null);
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || (media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase));

    /// <summary>What the framework's JSON reader can decode: UTF-8 by name, else whatever <see cref="Encoding.GetEncoding(string)"/> gives.</summary>
    private static bool Decodable(string charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (charset.Length == 0)
        {
            return false;
        }
        try
        {
            _ = Encoding.GetEncoding(charset);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
