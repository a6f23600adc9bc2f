using ExamReview.Contracts;
using ExamReview.ImageValidation.Api;
using ExamReview.ImageValidation.Consumers;
using ExamReview.ImageValidation.Processing;
using ExamReview.ImageValidation.Scanning;
using ExamReview.ServiceDefaults.Auth;
using ExamReview.ServiceDefaults.Hosting;
using ExamReview.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ExamReview.ImageValidation.Extensions;

/// <summary>
/// ImageValidation's composition root. The service keeps no state of its own (no database): it reads originals
/// from the materials bucket, writes reviewer copies there, and answers the photo tool and normalisation
/// synchronously. Which bucket is configuration (the same one MaterialStorage is given); what it may do there is
/// <see cref="StoreGrants"/>.
/// </summary>
public sealed class ImageValidationModule : ServiceModule
{
    /// <summary>Key of ImageValidation's view of the object store.</summary>
    public const string StoreView = "imagevalidation";

    /// <summary>Read the originals, write the reviewer copies (and remove one whose original has gone), nothing else.</summary>
    public static readonly ObjectGrant[] StoreGrants =
    [
        new(MaterialObjects.OriginalsPrefix, ObjectAccess.Read),
        new(MaterialObjects.ReviewerCopiesPrefix, ObjectAccess.Write | ObjectAccess.Delete),
    ];

    public override string Name => "ImageValidation";
    public override string QueueName => "image-validation";

    public override void AddServices(WebApplicationBuilder builder)
    {
        builder.AddObjectStoreView(StoreView, StoreGrants);
        builder.Services.AddImageValidationProcessing(builder.Configuration);
        builder.Services.AddOptions<ClamAvOptions>().Bind(builder.Configuration.GetSection(ClamAvOptions.Section))
            .Validate(o => o.IsValid, ClamAvOptions.MissingScanner).ValidateOnStart();
        builder.Services.AddSingleton<MalwareScreen>();
    }

    /// <summary>
    /// Every instance, each on its own queue: sessions Registration ended are refused here at once (the session check's
    /// cache is only the fallback).
    /// </summary>
    public override IReadOnlyList<Type> InstanceConsumers => [typeof(CandidateSessionsEndedConsumer)];

    protected override IReadOnlyList<Type> Consumers =>
    [
        typeof(MaterialUploadedConsumer),
    ];

    public override void ConfigureConsumers(IReceiveEndpointConfigurator endpoint, IBusRegistrationContext context)
    {
        var scanner = context.GetRequiredService<IOptions<ClamAvOptions>>().Value;
        endpoint.ConfigureConsumer<MaterialUploadedConsumer>(context, consumer => ScannerRetry.Configure(consumer, scanner));
    }

    public override void MapEndpoints(IEndpointRouteBuilder app) => app.MapPhotoToolApi();
}
