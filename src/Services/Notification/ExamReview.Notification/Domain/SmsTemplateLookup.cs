using ExamReview.Notification.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Domain;

/// <summary>The sender name and template an SMS of an area uses: the area's own template, else the all-areas one.</summary>
public static class SmsTemplateLookup
{
    public static async Task<(AreaSender Sender, SmsTemplate Template)?> FindAsync(NotificationDbContext db, string template, string areaCode, CancellationToken ct)
    {
        var sender = await db.AreaSenders.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct);
        if (sender is null)
        {
            return null;
        }
        var chosen = await LoadedAsync(db, template, areaCode, ct);
        return chosen is null ? null : (sender, chosen);
    }

    /// <summary>
    /// For the account SMS (one-time codes, the warning to a previous number), which have no seeded row: the area's own
    /// template, else the all-areas one an operator loaded, else the built-in text and provider code of the kind
    /// (<see cref="SmsTemplates.Kinds"/>), never saved. Null only when the area has no sender name.
    /// </summary>
    public static async Task<(AreaSender Sender, SmsTemplate Template)?> FindOrBuiltInAsync(NotificationDbContext db, string template, string areaCode, CancellationToken ct)
    {
        var sender = await db.AreaSenders.AsNoTracking().SingleOrDefaultAsync(s => s.AreaCode == areaCode, ct);
        if (sender is null)
        {
            return null;
        }
        var kind = SmsTemplates.Find(template) ?? throw new ArgumentOutOfRangeException(nameof(template), template, "Unknown SMS template");
        var chosen = await LoadedAsync(db, template, areaCode, ct)
            ?? new SmsTemplate { AreaCode = SmsTemplate.AnyArea, Template = kind.Name, ProviderTemplateCode = kind.DefaultCode, Body = kind.DefaultBody };
        return (sender, chosen);
    }

    private static async Task<SmsTemplate?> LoadedAsync(NotificationDbContext db, string template, string areaCode, CancellationToken ct)
    {
        var templates = await db.SmsTemplates.AsNoTracking()
            .Where(t => t.Template == template && (t.AreaCode == areaCode || t.AreaCode == SmsTemplate.AnyArea))
            .ToListAsync(ct);
        return templates.FirstOrDefault(t => t.AreaCode == areaCode) ?? templates.FirstOrDefault();
    }
}
