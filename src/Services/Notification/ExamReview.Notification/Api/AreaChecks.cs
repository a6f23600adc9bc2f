using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Api;

/// <summary>
/// Refuses an area code Registration has not announced here (see <see cref="KnownArea"/>) with every service's
/// <c>unknown_area</c> (<see cref="UnknownPlaces"/>): a typo, or an area not synced yet. An area the request is about
/// (a sender, a template, a preview) is a missing resource (404); one a filter names cannot be met (422).
/// </summary>
internal static class AreaChecks
{
    public static async Task<ProblemHttpResult?> RefuseAreaAsync(NotificationDbContext db, string areaCode, int status, CancellationToken ct) =>
        await db.KnownAreas.AnyAsync(a => a.Code == areaCode, ct) ? null : UnknownPlaces.Area(status, areaCode);

    /// <summary>A template batch naming areas not known here: 422 <c>unknown_area</c>, each such item under templates[i].areaCode; nothing is loaded.</summary>
    public static async Task<ProblemHttpResult?> RefuseUnknownAreasAsync(NotificationDbContext db, IReadOnlyList<SmsTemplateDraft> drafts, CancellationToken ct)
    {
        var codes = drafts.Select(d => d.AreaCode).OfType<string>().Where(c => c != SmsTemplate.AnyArea).Distinct(StringComparer.Ordinal).ToList();
        var known = (await db.KnownAreas.AsNoTracking().Where(a => codes.Contains(a.Code)).Select(a => a.Code).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var unknown = KnownArea.UnknownIn(drafts, known);
        if (unknown.Count == 0)
        {
            return null;
        }
        var texts = unknown.Select(u => (Field: $"templates[{u.Index}].areaCode", Text: UnknownPlaces.AreaText(u.AreaCode))).ToList();
        return Problems.Localised(StatusCodes.Status422UnprocessableEntity, UnknownPlaces.AreaCode,
            "模板未载入：" + string.Join("；", texts.Select(t => $"{t.Field}：{t.Text.Zh}")),
            "The templates were not loaded: " + string.Join("; ", texts.Select(t => $"{t.Field}: {t.Text.En}")),
            new Dictionary<string, object?> { ["errors"] = texts.ToDictionary(t => t.Field, t => new[] { t.Text.Zh }) },
            new Dictionary<string, object?> { ["errors"] = texts.ToDictionary(t => t.Field, t => new[] { t.Text.En }) });
    }
}
