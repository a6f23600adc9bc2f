namespace ExamReview.Notification.Domain;

/// <summary>
/// An exam area (考区) as Registration announced it (ExamAreaChanged), or one of the areas Registration starts with
/// (seeded, never announced). Operators set sender names and load templates for these areas only (<see cref="SmsTemplate.AnyArea"/>
/// stays every area's): a sender or template stored under a code no candidate registers in would apply to nobody, silently.
/// </summary>
public sealed class KnownArea
{
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>
    /// The items of a template batch whose area is neither every area (<see cref="SmsTemplate.AnyArea"/>) nor a known one,
    /// by their index; an item without an area is <see cref="SmsTemplate.Check(IReadOnlyList{SmsTemplateDraft}, IReadOnlySet{string})"/>'s to name.
    /// </summary>
    public static IReadOnlyList<(int Index, string AreaCode)> UnknownIn(IReadOnlyList<SmsTemplateDraft> drafts, IReadOnlySet<string> knownAreas) =>
        [.. drafts.Select((d, i) => (Index: i, d.AreaCode))
            .Where(d => d.AreaCode is not null && d.AreaCode != SmsTemplate.AnyArea && !knownAreas.Contains(d.AreaCode))
            .Select(d => (d.Index, d.AreaCode!))];
}
