using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Background;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
using ExamReview.ReviewWorkflow.Provincial;
using ExamReview.ServiceDefaults.Provincial;
using ExamReview.ReviewWorkflow.Domain;
using ExamReview.ReviewWorkflow.Publication;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;

namespace ExamReview.ReviewWorkflow.Extensions;

/// <summary>ReviewWorkflow's composition root.</summary>
public sealed class ReviewWorkflowModule : ServiceModule
{
    public override string Name => "ReviewWorkflow";
    public override string QueueName => "review-workflow";

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ReviewDbContext, ReviewPostgreSqlDbContext, ReviewSqliteDbContext>("reviewworkflowdb");
        builder.AddOutboxRelay<ReviewDbContext>();
        builder.AddProvincialIntegration<ReviewDbContext>(acceptsWrites: true);
        // After the database (its migrations run first): items from before the feed enter it, once.
        builder.Services.AddFeedBackfill(ReviewFeedBackfill.Sources);
        builder.Services.AddOptions<ReviewOptions>()
            .Bind(builder.Configuration.GetSection(ReviewOptions.Section))
            .Validate(o => o.Claims.Lease > TimeSpan.Zero, "ReviewWorkflow:Claims:Lease must be positive")
            .Validate(o => o.Deadlines.ScanInterval > TimeSpan.Zero, "ReviewWorkflow:Deadlines:ScanInterval must be positive")
            .Validate(o => o.Deadlines.ResponseWindow > TimeSpan.Zero && o.Deadlines.Areas.Values.All(a => a.ResponseWindow is null || a.ResponseWindow > TimeSpan.Zero),
                "ReviewWorkflow:Deadlines response windows must be positive")
            .ValidateOnStart();
        builder.Services.AddScoped<DeadlineScanner>();
        builder.Services.AddHostedService<DeadlineMonitor>();
        builder.AddResultPublication();
    }

    /// <summary>
    /// Every instance, each on its own queue: sessions Registration ended are refused here at once (the session check's
    /// cache is only the fallback).
    /// </summary>
    public override IReadOnlyList<Type> InstanceConsumers => [typeof(CandidateSessionsEndedConsumer)];

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(ApplicationSubmittedConsumer),
        typeof(MaterialSubmittedConsumer),
        typeof(MaterialDeletedConsumer),
        typeof(CandidateRegisteredConsumer),
        typeof(MaterialUploadedConsumer),
        typeof(MaterialLocksChangedConsumer),
        typeof(MaterialValidatedConsumer),
        typeof(RegistrationCorrectedConsumer),
        typeof(ExamAreaChangedConsumer),
        typeof(ExamSiteChangedConsumer),
    ];

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapReviewsApi();
        app.MapPublicationApi();
        app.MapProvincialReviewsApi();
        app.MapOutboxStatus<ReviewDbContext>(ReviewsApi.Prefix, Name);
    }
}
