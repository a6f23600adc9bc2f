using ExamReview.ReviewWorkflow.Api;
using ExamReview.ReviewWorkflow.Consumers;
using ExamReview.ReviewWorkflow.Data;
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
    public override bool HasConsumers => true;

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ReviewDbContext>("reviewworkflowdb");
        builder.AddOutboxRelay<ReviewDbContext>();
    }

    public override void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<ApplicationSubmittedConsumer>();

    public override void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context) =>
        endpoint.ConfigureConsumer<ApplicationSubmittedConsumer>(context);

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapReviewsApi();
        app.MapOutboxStatus<ReviewDbContext>(ReviewsApi.Prefix, Name);
    }
}
