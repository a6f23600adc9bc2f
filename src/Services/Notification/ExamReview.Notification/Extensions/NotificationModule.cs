using ExamReview.Notification.Api;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Sms;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;

namespace ExamReview.Notification.Extensions;

/// <summary>Notification's composition root.</summary>
public sealed class NotificationModule : ServiceModule
{
    public override string Name => "Notification";
    public override string QueueName => "notification";
    public override bool HasConsumers => true;

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationDbContext>("notificationdb");
        builder.AddOutboxRelay<NotificationDbContext>();
        builder.Services.AddSingleton<SmsDispatchSignal>();
        builder.Services.AddSingleton<ISmsSender, LogSmsSender>();
        builder.Services.AddHostedService<SmsDispatcher>();
    }

    public override void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CandidateContactChangedConsumer>();
        bus.AddConsumer<ApplicationReturnedConsumer>();
        bus.AddConsumer<ApplicationApprovedConsumer>();
        bus.AddConsumer<ApplicationRejectedConsumer>();
    }

    public override void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        endpoint.ConfigureConsumer<CandidateContactChangedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationReturnedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationApprovedConsumer>(context);
        endpoint.ConfigureConsumer<ApplicationRejectedConsumer>(context);
    }

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapNotificationsApi();
        app.MapOutboxStatus<NotificationDbContext>(NotificationsApi.Prefix, Name);
    }
}
