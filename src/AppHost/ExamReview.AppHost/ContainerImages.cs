using Microsoft.Extensions.Configuration;

namespace ExamReview.AppHost;

/// <summary>An image reference split the way Aspire's container resources take it.</summary>
internal sealed record ImageChoice(string Registry, string Image, string Tag, string Origin)
{
    public string Reference => string.IsNullOrEmpty(Registry) ? $"{Image}:{Tag}" : $"{Registry}/{Image}:{Tag}";
}

/// <summary>The S3 server's image and how it is started and probed.</summary>
internal sealed record ObjectStoreImage(string Registry, string Image, string Tag, string[] Args, string HealthPath, string Origin);

/// <summary>
/// Which images the containers run. The project's own images (built by scripts/images.sh on a Debian base, for
/// machines that reach no registry) are used when present locally; otherwise the official images, pulled.
/// <c>Images=official|local</c> forces one or the other.
/// </summary>
internal sealed class ContainerImages
{
    public required ImageChoice Postgres { get; init; }
    public required ImageChoice RabbitMq { get; init; }
    public required ObjectStoreImage ObjectStore { get; init; }

    public static ContainerImages Choose(IConfiguration configuration)
    {
        var preference = configuration["Images"]?.Trim().ToLowerInvariant();
        bool UseLocal(string reference) => preference switch
        {
            "local" => true,
            "official" => false,
            _ => ContainerRuntime.HasImage(reference),
        };

        var postgres = UseLocal("examreview/postgres:15")
            ? new ImageChoice("", "examreview/postgres", "15", "local (scripts/images.sh)")
            : new ImageChoice("docker.io", "library/postgres", "15", "official");
        var rabbit = UseLocal("examreview/rabbitmq:3")
            ? new ImageChoice("", "examreview/rabbitmq", "3", "local (scripts/images.sh)")
            : new ImageChoice("docker.io", "library/rabbitmq", "3.13", "official");
        // The local S3 server (s3rver) takes MinIO's command line and credentials, so one resource definition serves both.
        var objectStore = UseLocal("examreview/s3rver:3.7.1")
            ? new ObjectStoreImage("", "examreview/s3rver", "3.7.1", ["server", "/data"], "/", "local S3 server (scripts/images.sh)")
            : new ObjectStoreImage("docker.io", "minio/minio", "latest", ["server", "/data"], "/minio/health/live", "official MinIO");
        return new ContainerImages { Postgres = postgres, RabbitMq = rabbit, ObjectStore = objectStore };
    }
}

internal static class ImageChoiceExtensions
{
    public static IResourceBuilder<T> WithImageFrom<T>(this IResourceBuilder<T> builder, ImageChoice choice) where T : ContainerResource =>
        builder.WithImageRegistry(choice.Registry).WithImage(choice.Image, choice.Tag);
}
