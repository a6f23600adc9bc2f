using ExamReview.Notification.Api;
using ExamReview.Notification.Consumers;
using ExamReview.Notification.Data;
using ExamReview.Notification.Data.Protection;
using ExamReview.Notification.Sms;
using ExamReview.Notification.Webhooks;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace ExamReview.Notification.Extensions;

/// <summary>Notification's composition root.</summary>
public sealed class NotificationModule : ServiceModule
{
    public override string Name => "Notification";
    public override string QueueName => "notification";

    public override void AddServices(WebApplicationBuilder builder)
    {
        // Before the database: the context's model takes the key ring that seals the webhook signing keys it stores.
        builder.Services.TryAddSingleton(services => WebhookSecretProtector.Create(services, "notificationdb"));
        builder.AddServiceDatabase<NotificationDbContext, NotificationPostgreSqlDbContext, NotificationSqliteDbContext>("notificationdb");
        // After the database (its migrations run first): seals keys stored raw or under a retired key, once per start.
        builder.Services.AddHostedService<WebhookSecretResealingService>();
        builder.AddOutboxRelay<NotificationDbContext>();
        AddSmsDelivery(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<SmsDispatcher>();
        AddWebhookDelivery(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<WebhookDispatcher>();
    }

    /// <summary>
    /// Signed webhooks to provincial systems, without the background loop (tests drive the worker or host it): options,
    /// the wake-up signal, the worker and its HTTP client — no redirects followed (a receiver cannot bounce a signed event
    /// elsewhere), no connection inside the platform's network (<see cref="WebhookTargetPolicy"/>), no HTTP-level retries
    /// (the delivery schedule retries, durably and in order), a per-attempt timeout.
    /// </summary>
    public static IServiceCollection AddWebhookDelivery(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookDispatchOptions>().Bind(configuration.GetSection(WebhookDispatchOptions.Section));
        services.AddSingleton<WebhookDispatchSignal>();
        services.AddSingleton<WebhookDeliveryWorker>();
        var timeout = configuration.GetSection(WebhookDispatchOptions.Section).Get<WebhookDispatchOptions>()?.AttemptTimeout ?? new WebhookDispatchOptions().AttemptTimeout;
        services.AddOptions<WebhookTargetOptions>().Bind(configuration.GetSection(WebhookTargetOptions.Section));
        services.AddSingleton<WebhookTargetPolicy>();
        services.AddHttpClient(WebhookDeliveryWorker.HttpClientName)
            // Connections go only where WebhookTargetPolicy allows, checked on the addresses a host name resolves to.
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                // Through a proxy the callback would see the proxy's address, never the receiver's: no proxy, so every
                // connection is checked where it really goes.
                UseProxy = false,
                ConnectCallback = sp.GetRequiredService<WebhookTargetPolicy>().ConnectAsync,
            })
            // The factory's request logging prints the receiver's URL, which may carry the province's own token.
            .RemoveAllLoggers()
            .AddResilienceHandler("webhook-attempt", pipeline => pipeline.AddTimeout(timeout));
        return services;
    }

    /// <summary>
    /// The SMS pipeline without its background loop (tests drive <see cref="SmsDeliveryWorker"/> themselves): options,
    /// the provider adapter (Alibaba Cloud SMS API when <c>Sms:Provider:Endpoint</c> is set, a logging stand-in
    /// otherwise), the resilient gateway, metrics and the worker.
    /// </summary>
    public static IServiceCollection AddSmsDelivery(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmsProviderOptions>().Bind(configuration.GetSection(SmsProviderOptions.Section));
        services.AddOptions<SmsResilienceOptions>().Bind(configuration.GetSection(SmsResilienceOptions.Section));
        services.AddOptions<SmsDispatchOptions>().Bind(configuration.GetSection(SmsDispatchOptions.Section));
        services.AddOptions<SmsRateLimitOptions>().Bind(configuration.GetSection(SmsRateLimitOptions.Section));
        services.AddSingleton<SmsDispatchSignal>();
        services.AddSingleton<NotificationMetrics>();
        // No generic HTTP retry here: the SMS pipeline's own retries ask the provider before any resend (exactly one
        // SMS per event), where a blind retry would send a SendSms twice after a timeout.
        services.AddHttpClient(AliyunSmsProvider.HttpClientName);
        services.AddSingleton<ISmsProvider>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SmsProviderOptions>>();
            if (string.IsNullOrWhiteSpace(options.Value.Endpoint))
            {
                sp.GetRequiredService<ILogger<NotificationModule>>().LogWarning("Sms:Provider:Endpoint is not set: SMS are only written to the log");
                return ActivatorUtilities.CreateInstance<LogSmsProvider>(sp);
            }
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(AliyunSmsProvider.HttpClientName);
            // Polly's per-call timeout governs; the client's own limit only backs it up.
            http.Timeout = options.Value.AttemptTimeout + TimeSpan.FromSeconds(5);
            return new AliyunSmsProvider(http, options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<SmsGateway>();
        services.AddSingleton<SmsDeliveryWorker>();
        return services;
    }

    /// <summary>
    /// Every instance, each on its own queue: sessions Registration ended are refused here at once (the session check's
    /// cache is only the fallback).
    /// </summary>
    public override IReadOnlyList<Type> InstanceConsumers => [typeof(CandidateSessionsEndedConsumer)];

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(CandidateContactChangedConsumer),
        typeof(ExamAreaChangedConsumer),
        typeof(ApplicationReturnedConsumer),
        typeof(ReturnReachedCandidateConsumer),
        typeof(ApplicationApprovedConsumer),
        typeof(ApplicationRejectedConsumer),
        typeof(ReturnDeadlineApproachingConsumer),
        typeof(ApplicationReturnedInAppConsumer),
        typeof(ReturnReachedCandidateInAppConsumer),
        typeof(ApplicationApprovedInAppConsumer),
        typeof(ApplicationRejectedInAppConsumer),
        typeof(ReturnDeadlineApproachingInAppConsumer),
        typeof(SendOneTimeCodeConsumer),
        typeof(ApplicationSubmittedWebhookConsumer),
        typeof(ApplicationSiteApprovedWebhookConsumer),
        typeof(ApplicationApprovedWebhookConsumer),
        typeof(ApplicationReturnedWebhookConsumer),
        typeof(ApplicationRejectedWebhookConsumer),
        typeof(ReviewResumedWebhookConsumer),
        typeof(RegistrationCorrectedWebhookConsumer),
    ];

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapNotificationsApi();
        app.MapMessageCentreApi();
        app.MapSmsTemplatesApi();
        app.MapWebhooksApi();
        app.MapWebhookDeliveriesApi();
        app.MapSmsPreviewApi();
        app.MapOutboxStatus<NotificationDbContext>(NotificationsApi.Prefix, Name);
    }
}
