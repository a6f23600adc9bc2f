using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.MaterialStorage.Pages;
using ExamReview.MaterialStorage.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Storage;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.MaterialStorage.Domain.Examples;
using ExamReview.ServiceDefaults.Auth;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.MaterialStorage.Extensions;

/// <summary>MaterialStorage's composition root: database, object store, subscriptions and endpoints.</summary>
public sealed class MaterialStorageModule : ServiceModule
{
    public override string Name => "MaterialStorage";
    public override string QueueName => "material-storage";

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MaterialStorageDbContext, MaterialStoragePostgreSqlDbContext, MaterialStorageSqliteDbContext>("materialstoragedb");
        builder.AddOutboxRelay<MaterialStorageDbContext>();
        builder.Services.AddSingleton<PageChanges>();
        builder.Services.AddHostedService<PostgreSqlPageChangeListener>();
        builder.AddProvincialIntegration<MaterialStorageDbContext>(acceptsWrites: false);
        // After the database (its migrations run first): items from before the feed enter it, once.
        builder.Services.AddFeedBackfill(ApplicationFeedBackfill.Sources);
        builder.AddObjectStore();
        builder.Services.AddSingleton<ImageNormalisationClient>();
        // A multipart file over 64 KB (the default) was buffered to a temporary file and read back: a disk write per
        // document upload (200 KB by default). Under 512 KB it stays in the form reader's pooled memory.
        builder.Services.Configure<FormOptions>(o => o.MemoryBufferThreshold = 512 * 1024);
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddSingleton<ExampleImages>();
        builder.Services.AddSingleton<Operations.MaterialStorageMetrics>();
        builder.Services.TryAddSingleton<HandoverTokens>();
    }

    /// <summary>
    /// Every instance, each on its own queue: sessions Registration ended are refused here at once (the session check's
    /// cache is only the fallback).
    /// </summary>
    public override IReadOnlyList<Type> InstanceConsumers => [typeof(CandidateSessionsEndedConsumer)];

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(CandidateRegisteredConsumer),
        typeof(CandidateProfileChangedConsumer),
        typeof(MaterialValidatedConsumer),
        typeof(LockMaterialsConsumer),
        typeof(UnlockMaterialsConsumer),
        typeof(ApproveMaterialsConsumer),
        typeof(ApplicationApprovedConsumer),
        typeof(ApplicationRejectedConsumer),
        typeof(ApplicationSiteApprovedConsumer),
        typeof(ApplicationReturnedConsumer),
        typeof(ReviewResumedConsumer),
        typeof(ExamAreaChangedConsumer),
    ];

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapMaterialsApi();
        app.MapCatalogsApi();
        app.MapExamplesApi();
        app.MapSessionsApi();
        app.MapProvincialApplicationsApi();
        app.MapOutboxStatus<MaterialStorageDbContext>(MaterialsApi.Prefix, Name);
        app.MapValidationBacklogApi();
    }
}
