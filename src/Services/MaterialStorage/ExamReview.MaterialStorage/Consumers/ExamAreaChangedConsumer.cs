using ExamReview.Contracts;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace ExamReview.MaterialStorage.Consumers;

/// <summary>
/// Learns an area Registration created or renamed, so operators can set its upload settings and load its catalog.
/// Only the code matters for that; of two renames delivered out of order the later delivery's name stays until the next change.
/// </summary>
public sealed class ExamAreaChangedConsumer(MaterialStorageDbContext db, ILogger<ExamAreaChangedConsumer> logger)
    : InboxConsumer<ExamAreaChanged, MaterialStorageDbContext>(db, logger)
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
