namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// A failure that reaches the client as an RFC 9457 problem. Handlers mostly return problems as
/// values; this exists for checks that live below the endpoint (domain services, consumers' callers).
/// </summary>
public sealed class ProblemException(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
