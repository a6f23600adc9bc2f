using Microsoft.AspNetCore.Http.HttpResults;

namespace ExamReview.ServiceDefaults.Problems;

/// <summary>
/// The refusal of an exam area or site code a service that keeps Registration's places (MaterialStorage,
/// ReviewWorkflow, Notification) has not heard of. Registration owns the places and announces each one it creates or
/// renames (ExamAreaChanged, ExamSiteChanged); the others learn them from the bus, a moment later. So a code unknown
/// here is a typo or a place not synced yet, and the text says both, in the same words in every service: it never
/// claims the place does not exist, which only Registration can say. Codes <c>unknown_area</c> / <c>unknown_site</c>;
/// the status is the caller's (404 for a place the request is about, 422 for a filter no answer can meet).
/// </summary>
public static class UnknownPlaces
{
    public const string AreaCode = "unknown_area";
    public const string SiteCode = "unknown_site";

    private const string WaitZh = "请核对代码；若刚在报名服务中新建，请待其同步到本服务（通常几秒内）后重试。";
    private const string WaitEn = "check the code; a place just created in Registration is accepted once it has synced to this service, usually within seconds.";

    /// <summary>The detail of <c>unknown_area</c>, the code quoted capped (<see cref="ProblemText.Echo"/>).</summary>
    public static (string Zh, string En) AreaText(string areaCode)
    {
        var area = ProblemText.Echo(areaCode);
        return ($"本服务尚无考区“{area}”（考区由报名服务维护）：{WaitZh}", $"Exam area '{area}' is not known to this service (areas are kept by Registration): {WaitEn}");
    }

    /// <summary>
    /// The detail of <c>unknown_site</c>: a site not known at all, or (with <paramref name="areaCode"/>) not known in that
    /// area; a site known in another area (<paramref name="knownInArea"/>) is said to be that area's.
    /// </summary>
    public static (string Zh, string En) SiteText(string siteCode, string? areaCode, string? knownInArea = null)
    {
        var site = ProblemText.Echo(siteCode);
        if (areaCode is not null && knownInArea is not null)
        {
            var (area, other) = (ProblemText.Echo(areaCode), ProblemText.Echo(knownInArea));
            return ($"考点“{site}”属于考区“{other}”，不是考区“{area}”的考点。", $"Exam site '{site}' is a site of area '{other}', not of area '{area}'.");
        }
        return areaCode is null
            ? ($"本服务尚无考点“{site}”（考点由报名服务维护）：{WaitZh}", $"Exam site '{site}' is not known to this service (sites are kept by Registration): {WaitEn}")
            : ($"本服务尚无考区“{ProblemText.Echo(areaCode)}”的考点“{site}”（考点由报名服务维护）：{WaitZh}",
                $"Exam site '{site}' of area '{ProblemText.Echo(areaCode)}' is not known to this service (sites are kept by Registration): {WaitEn}");
    }

    public static ProblemHttpResult Area(int status, string areaCode)
    {
        var (zh, en) = AreaText(areaCode);
        return Problems.Localised(status, AreaCode, zh, en);
    }

    public static ProblemHttpResult Site(int status, string siteCode, string? areaCode, string? knownInArea = null)
    {
        var (zh, en) = SiteText(siteCode, areaCode, knownInArea);
        return Problems.Localised(status, SiteCode, zh, en);
    }
}
