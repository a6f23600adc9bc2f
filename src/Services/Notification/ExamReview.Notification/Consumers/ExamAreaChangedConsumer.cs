using ExamReview.Contracts;
using ExamReview.Notification.Data;
using ExamReview.Notification.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.Notification.Consumers;

/// <summary>
/// An exam area created or renamed in Registration becomes known here (<see cref="KnownArea"/>: operators may then set
/// its sender and load its templates) and gets an SMS sender name (【考区单位名称】), so its candidates' notices never
/// wait on a missing sender: its name, when that name can be a sender's (<see cref="AreaSender.FromAreaName"/>; else
/// none, and a warning). An operator may still set a different sender name, which a rename leaves alone. Of two
/// renames delivered out of order the later delivery's name stays until the next change; only the code matters.
/// </summary>
public sealed class ExamAreaChangedConsumer(NotificationDbContext db, ILogger<ExamAreaChangedConsumer> logger)
    : InboxConsumer<ExamAreaChanged, NotificationDbContext>(db, logger)
{
    /// <summary>A new area whose name cannot be its sender's, warned of once the area is committed (<see cref="AfterCommit"/>).</summary>
    private ExamAreaChanged? _withoutSender;

    protected override async Task HandleAsync(ExamAreaChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        _withoutSender = null;
        var area = await Db.KnownAreas.SingleOrDefaultAsync(a => a.Code == message.AreaCode, cancellationToken);
        if (area is null)
        {
            Db.KnownAreas.Add(new KnownArea { Code = message.AreaCode, Name = message.Name });
        }
        else
        {
            area.Name = message.Name;
        }
        var sender = await Db.AreaSenders.SingleOrDefaultAsync(s => s.AreaCode == message.AreaCode, cancellationToken);
        if (sender is null)
        {
            if (AreaSender.FromAreaName(message.AreaCode, message.Name) is { } first)
            {
                Db.AreaSenders.Add(first);
            }
            else
            {
                _withoutSender = message;
            }
        }
    }

    protected override void AfterCommit()
    {
        if (_withoutSender is { } area)
        {
            logger.LogWarning("Exam area {AreaCode} has no SMS sender name: its name ({Length} characters) cannot be one (2-20 characters, no 【】); " +
                "its candidates' SMS wait until an operator sets it (PUT /api/v1/notifications/areas/{Area}/sender)", area.AreaCode, area.Name.Length, area.AreaCode);
        }
    }
}
