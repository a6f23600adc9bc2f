using ExamReview.Contracts;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.ReviewWorkflow.Consumers;

/// <summary>
/// Learns an area Registration created or renamed, so operators can name it for its round and metrics. Only the
/// code matters for that; of two renames delivered out of order the later delivery's name stays until the next change.
/// </summary>
public sealed class ExamAreaChangedConsumer(ReviewDbContext db, ILogger<ExamAreaChangedConsumer> logger)
    : InboxConsumer<ExamAreaChanged, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(ExamAreaChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var area = await Db.KnownAreas.SingleOrDefaultAsync(a => a.Code == message.AreaCode, cancellationToken);
        if (area is null)
        {
            Db.KnownAreas.Add(new KnownArea { Code = message.AreaCode, Name = message.Name });
        }
        else
        {
            area.Name = message.Name;
        }
    }
}

/// <summary>Learns a site Registration created or renamed (see <see cref="ExamAreaChangedConsumer"/>); a site keeps its area.</summary>
public sealed class ExamSiteChangedConsumer(ReviewDbContext db, ILogger<ExamSiteChangedConsumer> logger)
    : InboxConsumer<ExamSiteChanged, ReviewDbContext>(db, logger)
{
    protected override async Task HandleAsync(ExamSiteChanged message, Guid messageId, CancellationToken cancellationToken)
    {
        var site = await Db.KnownSites.SingleOrDefaultAsync(s => s.Code == message.SiteCode, cancellationToken);
        if (site is null)
        {
            Db.KnownSites.Add(new KnownSite { Code = message.SiteCode, AreaCode = message.AreaCode, Name = message.Name });
        }
        else
        {
            site.Name = message.Name;
        }
    }
}
