using ExamReview.Registration.Api;
using ExamReview.Registration.Consumers;
using ExamReview.Registration.Data;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExamReview.Registration.Extensions;

/// <summary>Registration's composition root: its database, its subscriptions and its endpoints.</summary>
public sealed class RegistrationModule : ServiceModule
{
    public override string Name => "Registration";
    public override string QueueName => "registration";
    public override bool HasConsumers => true;

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RegistrationDbContext>("registrationdb");
        builder.AddOutboxRelay<RegistrationDbContext>();
        builder.Services.TryAddSingleton<HandoverTokens>();
        builder.AddObjectStore();
        builder.Services.AddPhotoVerification(builder.Configuration);
    }

    public override void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ApplicationSubmittedConsumer>();
        bus.AddConsumer<ApplicationSiteApprovedConsumer>();
        bus.AddConsumer<ApplicationApprovedConsumer>();
        bus.AddConsumer<ApplicationReturnedConsumer>();
        bus.AddConsumer<ApplicationRejectedConsumer>();
    }

    public override void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        endpoint.ConfigureConsumer<ApplicationSubmittedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationSiteApprovedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationApprovedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationReturnedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationRejectedConsumer>(context);
    }

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapRegistrationsApi();
        app.MapOutboxStatus<RegistrationDbContext>(RegistrationsApi.Prefix, Name);
    }
}
