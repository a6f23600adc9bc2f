using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Domain;
using ExamReview.ServiceDefaults.Provincial;

namespace ExamReview.MaterialStorage.Provincial;

/// <summary>Applications and material images stored before the applications feed existed: their current state enters the feed once.</summary>
public static class ApplicationFeedBackfill
{
    public static readonly IFeedBackfillSource<MaterialStorageDbContext>[] Sources =
    [
        // Applications first: a province sees an application before its materials, as it would have live.
        new FeedBackfillSource<MaterialStorageDbContext, MaterialApplication>(ApplicationFeedProjection.Feed, ApplicationFeedProjection.ApplicationKind,
            new ApplicationFeedProjection(), a => a.Id),
        new FeedBackfillSource<MaterialStorageDbContext, MaterialImage>(ApplicationFeedProjection.Feed, ApplicationFeedProjection.MaterialKind,
            new ApplicationFeedProjection(), i => i.Id),
    ];
}
