namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// A failure that reaches the client as an RFC 9457 problem. Handlers mostly return problems as
/// values; this exists for checks that live below the endpoint (domain services, consumers' callers).
/// </summary>
public sealed class ProblemException(int status, string code, string detailZh, string detailEn, IDictionary<string, object?>? extensions = null)
    : Exception(detailEn)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string DetailZh { get; } = detailZh;
    public string DetailEn { get; } = detailEn;
    public IDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
