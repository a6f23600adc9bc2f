using ExamReview.MaterialStorage.Api;
using ExamReview.MaterialStorage.Consumers;
using ExamReview.MaterialStorage.Data;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Storage;
using ExamReview.MaterialStorage.Domain.Catalogs;
using ExamReview.ServiceDefaults.Auth;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.MaterialStorage.Extensions;

/// <summary>MaterialStorage's composition root: database, object store, subscriptions and endpoints.</summary>
public sealed class MaterialStorageModule : ServiceModule
{
    public override string Name => "MaterialStorage";
    public override string QueueName => "material-storage";
    public override bool HasConsumers => true;

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MaterialStorageDbContext>("materialstoragedb");
        builder.AddOutboxRelay<MaterialStorageDbContext>();
        builder.AddObjectStore();
        builder.Services.AddSingleton<ImageNormalisationClient>();
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.TryAddSingleton<HandoverTokens>();
    }

    public override void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CandidateRegisteredConsumer>();
        bus.AddConsumer<CandidateProfileChangedConsumer>();
        bus.AddConsumer<MaterialValidatedConsumer>();
        bus.AddConsumer<LockMaterialsConsumer>();
        bus.AddConsumer<UnlockMaterialsConsumer>();
        bus.AddConsumer<ApproveMaterialsConsumer>();
        bus.AddConsumer<ApplicationApprovedConsumer>();
    }

    public override void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        endpoint.ConfigureConsumer<CandidateRegisteredConsumer>(context);
        endpoint.ConfigureConsumer<CandidateProfileChangedConsumer>(context);
        endpoint.ConfigureConsumer<MaterialValidatedConsumer>(context);
        endpoint.ConfigureConsumer<LockMaterialsConsumer>(context);
        endpoint.ConfigureConsumer<UnlockMaterialsConsumer>(context);
        endpoint.ConfigureConsumer<ApproveMaterialsConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationApprovedConsumer>(context);
    }

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapMaterialsApi();
        app.MapCatalogsApi();
        app.MapSessionsApi();
        app.MapOutboxStatus<MaterialStorageDbContext>(MaterialsApi.Prefix, Name);
    }
}
