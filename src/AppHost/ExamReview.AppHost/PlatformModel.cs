using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>
/// The distributed ExamReview platform as an Aspire application model: five services, each a project resource
/// with its own database on one PostgreSQL server, RabbitMQ, S3-compatible storage, and the SMS provider stub
/// where no provider is configured. Resource names follow the configuration keys the services read
/// (<c>ConnectionStrings:&lt;service&gt;db</c>, <c>services:&lt;service&gt;:http:0</c>).
/// </summary>
public static class PlatformModel
{
    public static IDistributedApplicationBuilder AddExamReviewPlatform(this IDistributedApplicationBuilder builder)
    {
        var source = PlatformInfrastructure.Choose(builder.Configuration);
        PlatformInfrastructure infrastructure;
        if (source == InfrastructureSource.Containers)
        {
            var images = ContainerImages.Choose(builder.Configuration);
            Console.WriteLine($"infrastructure: containers — postgres {images.Postgres.Reference} ({images.Postgres.Origin}), " +
                $"rabbitmq {images.RabbitMq.Reference} ({images.RabbitMq.Origin}), s3 {images.ObjectStore.Image}:{images.ObjectStore.Tag} ({images.ObjectStore.Origin})");
            infrastructure = PlatformInfrastructure.Containers(builder, images);
        }
        else
        {
            Console.WriteLine("infrastructure: the servers given as ConnectionStrings:postgres, :rabbitmq, :objectstore");
            infrastructure = PlatformInfrastructure.FromConnectionStrings(builder);
        }

        var security = PlatformSecrets.From(builder);
        var registration = builder.AddService<Projects.ExamReview_Registration>("registration", infrastructure, security, "registrationdb", RegistrationBucket);
        var materials = builder.AddService<Projects.ExamReview_MaterialStorage>("materialstorage", infrastructure, security, "materialstoragedb", MaterialsBucket);
        // No database: it reads each upload from the materials bucket and writes the watermarked copy there (claim check).
        var validation = builder.AddService<Projects.ExamReview_ImageValidation>("imagevalidation", infrastructure, security, database: null, MaterialsBucket);
        var review = builder.AddService<Projects.ExamReview_ReviewWorkflow>("reviewworkflow", infrastructure, security, "reviewworkflowdb", bucket: null);
        var notification = builder.AddService<Projects.ExamReview_Notification>("notification", infrastructure, security, "notificationdb", bucket: null);

        // The one synchronous call between services (everything else travels as messages): phone-photo normalisation.
        materials.WithReference(validation);
        // A candidate signed in at Registration (a token with sid) is checked there by every service it calls, so a
        // sign-out or password reset ends the session everywhere: at once by CandidateSessionsEnded to every instance, within
        // RemoteCandidateSessionCheck's 15 s cache should that message be lost.
        foreach (var service in new[] { materials, validation, review, notification })
        {
            service.WithReference(registration);
        }

        SmsProvider.Attach(builder, notification, security);
        ProvincialClients.Attach(builder, security, registration, materials, validation, review, notification);
        MalwareScanner.Attach(builder, validation);
        LoadProfile.Apply(builder, [registration, materials, validation, review, notification], materials, validation);
        ReadyLines.Print(builder, registration, materials, validation, review, notification);
        Gateway.Attach(builder, registration, materials, validation, review, notification);
        ProcessDefaults.Apply(builder);
        return builder;
    }

    /// <summary>The bucket of document images: originals (MaterialStorage's) and reviewer copies (ImageValidation's).</summary>
    public const string MaterialsBucket = "examreview-materials";

    /// <summary>Registration's own bucket: accepted ID photos.</summary>
    public const string RegistrationBucket = "examreview-registration";

    private static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder,
        string name, PlatformInfrastructure infrastructure, PlatformSecrets security, string? database, string? bucket)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            // The dashboard links each service's own OpenAPI document (named after the resource, see ServiceDocuments).
            .WithUrlForEndpoint("http", _ => new() { Url = $"/openapi/{name}.json", DisplayText = "OpenAPI" })
            .WithReference(infrastructure.Broker)
            .WaitFor(infrastructure.Broker)
            .WithEnvironment("Auth__SigningKeys__0", security.SigningKey)
            .WithEnvironment("Auth__DevTokens__Enabled", security.DevTokens ? "true" : "false")
            .WithEnvironment("ImageValidation__PassMark__CurrentKeyId", security.PassMarkKeyId)
            .WithEnvironment($"ImageValidation__PassMark__Keys__{security.PassMarkKeyId}", security.PassMarkKey);
        if (database is not null)
        {
            var db = infrastructure.Database(database);
            service.WithReference(db).WaitFor(db);
        }
        if (bucket is not null)
        {
            // Services that exchange images by key share a bucket, each through its own grants (see the services' READMEs).
            service.WithReference(infrastructure.ObjectStore)
                .WaitFor(infrastructure.ObjectStore)
                .WithEnvironment("Storage__Bucket", bucket);
        }
        foreach (var dependency in infrastructure.StartAfter)
        {
            service.WaitFor(dependency);
        }
        return service;
    }
}

/// <summary>
/// Keys the services share: the JWT signing key (an identity provider's in production) and the photo tool's
/// pass-mark key ring. Given as AppHost parameters (<c>Parameters:signing-key</c>, <c>Parameters:passmark-key</c>),
/// or generated for this run. The development token issuer runs only when asked for (<c>Auth:DevTokens:Enabled=true</c>)
/// and never with a configured signing key.
/// </summary>
internal sealed record PlatformSecrets(IResourceBuilder<ParameterResource> SigningKey, bool DevTokens, string PassMarkKeyId, IResourceBuilder<ParameterResource> PassMarkKey)
{
    public static PlatformSecrets From(IDistributedApplicationBuilder builder)
    {
        var configuredKey = builder.Configuration["Parameters:signing-key"];
        var devTokensAsked = builder.Configuration.GetValue("Auth:DevTokens:Enabled", false);
        if (devTokensAsked && !string.IsNullOrWhiteSpace(configuredKey))
        {
            throw new InvalidOperationException("Auth:DevTokens:Enabled=true with a configured signing key: the development issuer never signs with real keys.");
        }
        var signingKey = builder.AddParameter("signing-key", configuredKey ?? Secrets.NewKey(), secret: true);
        var passMarkKey = builder.AddParameter("passmark-key", builder.Configuration["Parameters:passmark-key"] ?? Secrets.NewKey(), secret: true);
        if (devTokensAsked)
        {
            Console.WriteLine("auth: development token issuer ON (POST /api/v1/dev/tokens on every service), signing with a key generated for this run");
        }
        return new PlatformSecrets(signingKey, devTokensAsked, builder.Configuration["Parameters:passmark-key-id"] ?? "k1", passMarkKey);
    }
}
