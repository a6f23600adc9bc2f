using ExamReview.ImageValidation.Api;
using ExamReview.ImageValidation.Consumers;
using ExamReview.ImageValidation.Data;
using ExamReview.ImageValidation.Processing;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Messaging;
using ExamReview.ServiceDefaults.Persistence;
using MassTransit;

namespace ExamReview.ImageValidation.Extensions;

/// <summary>ImageValidation's composition root.</summary>
public sealed class ImageValidationModule : ServiceModule
{
    public override string Name => "ImageValidation";
    public override string QueueName => "image-validation";

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ImageValidationDbContext, ImageValidationPostgreSqlDbContext, ImageValidationSqliteDbContext>("imagevalidationdb");
        builder.AddOutboxRelay<ImageValidationDbContext>();
        builder.Services.AddImageValidationProcessing(builder.Configuration);
    }

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(MaterialUploadedConsumer),
    ];

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapValidationApi();
        app.MapPhotoToolApi();
        app.MapOutboxStatus<ImageValidationDbContext>(ValidationApi.Prefix, Name);
    }
}
