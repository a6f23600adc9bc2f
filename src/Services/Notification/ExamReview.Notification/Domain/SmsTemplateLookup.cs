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
        var templates = await db.SmsTemplates.AsNoTracking()
            .Where(t => t.Template == template && (t.AreaCode == areaCode || t.AreaCode == SmsTemplate.AnyArea))
            .ToListAsync(ct);
        var chosen = templates.FirstOrDefault(t => t.AreaCode == areaCode) ?? templates.FirstOrDefault();
        return chosen is null ? null : (sender, chosen);
    }
}
