using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Provincial;

/// <summary>The integration surface's own problems: stable codes, Chinese first.</summary>
public static class IdempotencyProblems
{
    public const string KeyRequiredCode = "idempotency_key_required";
    public const string KeyReusedCode = "idempotency_key_reused";
    public const string InProgressCode = "idempotency_request_in_progress";
    public const string IfMatchRequiredCode = "if_match_required";
    public const string StaleCode = "etag_mismatch";
    public const string InvalidCursorCode = "invalid_cursor";
    public const string CursorAheadCode = "cursor_ahead";

    public static ProblemHttpResult KeyRequired() => Problems.Problems.Localised(StatusCodes.Status400BadRequest, KeyRequiredCode,
        $"每个 POST 请求都需要 Idempotency-Key 请求头（1 至 {IdempotencyModel.MaxKeyLength} 个字符，建议使用 UUID）。",
        $"Every POST needs an Idempotency-Key header (1 to {IdempotencyModel.MaxKeyLength} characters; a UUID is recommended).");

    public static ProblemHttpResult KeyReused() => Problems.Problems.Localised(StatusCodes.Status422UnprocessableEntity, KeyReusedCode,
        "该 Idempotency-Key 已用于另一个不同的请求：重试请保持请求完全相同，新的请求请使用新的键。",
        "This Idempotency-Key was used for a different request: retry with exactly the same request, or use a new key for a new one.");

    public static ProblemHttpResult InProgress() => Problems.Problems.Localised(StatusCodes.Status409Conflict, InProgressCode,
        "使用该 Idempotency-Key 的同一请求仍在处理中，请稍后用同一个键重试。",
        "The same request under this Idempotency-Key is still being processed; retry later with the same key.");

    public static ProblemHttpResult IfMatchRequired() => Problems.Problems.Localised(StatusCodes.Status428PreconditionRequired, IfMatchRequiredCode,
        "此写操作需要 If-Match 请求头：请先读取资源，带上其 ETag。",
        "This write needs an If-Match header: read the resource first and send its ETag.");

    public static ProblemHttpResult Stale() => Problems.Problems.Localised(StatusCodes.Status412PreconditionFailed, StaleCode,
        "资源在您读取之后已被修改（ETag 不匹配）：请重新读取后再决定是否提交。",
        "The resource changed since you read it (ETag mismatch): read it again before deciding to resubmit.");

    public static ProblemHttpResult InvalidCursor() => Problems.Problems.Localised(StatusCodes.Status400BadRequest, InvalidCursorCode,
        "cursor 无效：请使用本接口上一页返回的 nextCursor（游标与接口和省份绑定），或省略它从头同步。",
        "The cursor is invalid: send the nextCursor of this feed's previous page (cursors are bound to the feed and province), or omit it to sync from the start.");

    /// <summary>
    /// A well-formed cursor past the feed's last row: no page ever gave it. Served, it would answer an empty page that
    /// hands it back as <c>nextCursor</c>, and a client that kept it would skip every change until the feed got there.
    /// </summary>
    public static ProblemHttpResult CursorAhead() => Problems.Problems.Localised(StatusCodes.Status400BadRequest, CursorAheadCode,
        "cursor 超出了变更流的末尾，不是本接口返回过的位置：请使用上一页返回的 nextCursor；若本地保存的游标来自另一个平台环境（如数据已重置），请省略 cursor 从头同步。",
        "The cursor lies beyond the end of the feed, so no page returned it: send the nextCursor of the previous page; if the stored cursor is from another platform environment (its data reset, say), omit cursor and sync from the start.");
}
