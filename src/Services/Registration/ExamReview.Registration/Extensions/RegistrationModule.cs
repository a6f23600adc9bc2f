using ExamReview.Registration.Accounts;
using ExamReview.Registration.Api;
using ExamReview.Registration.Consumers;
using ExamReview.Registration.Data;
using ExamReview.Registration.Data.Protection;
using ExamReview.Registration.Domain.Printing;
using ExamReview.Registration.Provincial;
using ExamReview.ServiceDefaults.Provincial;
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

    public override void AddServices(WebApplicationBuilder builder)
    {
        // Before the database: the context's model takes the key ring that encrypts the ID numbers it stores.
        builder.Services.TryAddSingleton(services => IdNumberKeys.Create(services, "registrationdb"));
        builder.AddServiceDatabase<RegistrationDbContext, RegistrationPostgreSqlDbContext, RegistrationSqliteDbContext>("registrationdb");
        builder.AddOutboxRelay<RegistrationDbContext>();
        // After the database (its migrations run first): encrypts what was stored before encryption and seals again what
        // a retired key sealed, once per start.
        builder.Services.AddHostedService<PersonalDataSealingService>();
        builder.AddProvincialIntegration<RegistrationDbContext>(acceptsWrites: true);
        // After the database (its migrations run first): items from before the feed enter it, once.
        builder.Services.AddFeedBackfill(RegistrationFeedBackfill.Sources);
        builder.Services.TryAddSingleton<HandoverTokens>();
        builder.AddCandidateAccounts();
        builder.Services.TryAddSingleton<NoticeSeal>();
        builder.AddObjectStore();
        builder.Services.AddPhotoVerification(builder.Configuration);
    }

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(ApplicationSubmittedConsumer),
        typeof(ApplicationSiteApprovedConsumer),
        typeof(ApplicationApprovedConsumer),
        typeof(ApplicationReturnedConsumer),
        typeof(ApplicationRejectedConsumer),
        typeof(ReviewResumedConsumer),
        typeof(ApplicationResultHeldConsumer),
    ];

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapRegistrationsApi();
        app.MapProvincialRegistrationsApi();
        app.MapOutboxStatus<RegistrationDbContext>(RegistrationsApi.Prefix, Name);
    }
}
