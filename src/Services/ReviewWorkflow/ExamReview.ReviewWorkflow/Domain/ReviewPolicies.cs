namespace ExamReview.ReviewWorkflow.Domain;

/// <summary>What happens when a returned application's response window ends without a resubmission.</summary>
public enum ExpiryBehaviour
{
    /// <summary>Keep waiting for the candidate: the case is flagged overdue in the queues, nothing else changes.</summary>
    Wait,

    /// <summary>Flag overdue and escalate to the area reviewers (their queue's <c>escalated</c> filter), who decide what to do.</summary>
    Escalate,
}

/// <summary>An area's deadline rules; unset values fall back to <see cref="ReviewOptions.Deadlines"/>' defaults.</summary>
public sealed class AreaDeadlineOptions
{
    /// <summary>How long the candidate has to respond to a return (the seeds' SMS says 24 hours).</summary>
    public TimeSpan? ResponseWindow { get; set; }

    /// <summary>How long before the end of the window the reminder goes out.</summary>
    public TimeSpan? ReminderBefore { get; set; }

    public ExpiryBehaviour? OnExpiry { get; set; }
}

public sealed record AreaDeadlinePolicy(TimeSpan ResponseWindow, TimeSpan ReminderBefore, ExpiryBehaviour OnExpiry);

public sealed class DeadlineOptions
{
    public TimeSpan ResponseWindow { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromHours(4);
    public ExpiryBehaviour OnExpiry { get; set; } = ExpiryBehaviour.Wait;

    /// <summary>How often the deadline monitor looks for due reminders, ended windows and expired claims.</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Per exam area (考区 code) overrides.</summary>
    public Dictionary<string, AreaDeadlineOptions> Areas { get; set; } = new(StringComparer.Ordinal);

    public AreaDeadlinePolicy For(string areaCode)
    {
        var area = Areas.GetValueOrDefault(areaCode);
        return new AreaDeadlinePolicy(
            area?.ResponseWindow ?? ResponseWindow,
            area?.ReminderBefore ?? ReminderBefore,
            area?.OnExpiry ?? OnExpiry);
    }
}

public sealed class ClaimOptions
{
    /// <summary>How long a claim holds a case unless renewed.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Configuration section <c>ReviewWorkflow</c>.</summary>
public sealed class ReviewOptions
{
    public const string Section = "ReviewWorkflow";

    public DeadlineOptions Deadlines { get; set; } = new();

    public ClaimOptions Claims { get; set; } = new();
}
