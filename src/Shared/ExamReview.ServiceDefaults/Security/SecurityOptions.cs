namespace ExamReview.ServiceDefaults.Security;

/// <summary>Browser origins allowed to call the APIs (section <c>Cors</c>).</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";
    public const string PolicyName = "reviewer-console";

    /// <summary>
    /// The reviewer console's origins, e.g. <c>https://review.example.cn</c>. Empty by default: no browser page on
    /// another origin may call the APIs (candidates' pages are served from the APIs' own origin or a gateway).
    /// </summary>
    public List<string> ReviewerConsoleOrigins { get; set; } = [];
}
