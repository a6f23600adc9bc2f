using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ExamReview.AppHost;

/// <summary>Where PostgreSQL, RabbitMQ and the S3 store come from: chosen once, explicitly, and said.</summary>
internal enum InfrastructureSource
{
    /// <summary>Containers on the local container runtime (official images, or the project's own where none can be pulled).</summary>
    Containers,

    /// <summary>Servers someone else started (scripts/infra.sh, or managed services), given as connection strings.</summary>
    ConnectionStrings,
}

/// <summary>The servers every service uses, as Aspire resources the service projects reference and wait for.</summary>
internal sealed class PlatformInfrastructure
{
    public required Func<string, IResourceBuilder<IResourceWithConnectionString>> Database { get; init; }
    public required IResourceBuilder<IResourceWithConnectionString> Broker { get; init; }
    public required IResourceBuilder<IResourceWithConnectionString> ObjectStore { get; init; }

    /// <summary>Resources a service must not start before (the containers; given servers are already up).</summary>
    public required IReadOnlyList<IResourceBuilder<IResource>> StartAfter { get; init; }

    /// <summary>
    /// <c>Infrastructure=containers|connection-strings</c> decides; unset, given connection strings win, then a
    /// container runtime that answers. Neither is an error that says what to do — never a silent fallback.
    /// </summary>
    public static InfrastructureSource Choose(IConfiguration configuration)
    {
        var configured = configuration["Infrastructure"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim().ToLowerInvariant() switch
            {
                "containers" => InfrastructureSource.Containers,
                "connection-strings" => InfrastructureSource.ConnectionStrings,
                _ => throw new InvalidOperationException($"Infrastructure='{configured}': use 'containers' or 'connection-strings'."),
            };
        }
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("postgres")))
        {
            return InfrastructureSource.ConnectionStrings;
        }
        if (ContainerRuntime.Answers())
        {
            return InfrastructureSource.Containers;
        }
        throw new InvalidOperationException(
            "No infrastructure: no container runtime answers (`docker info`; scripts/images.sh starts one and builds the images) " +
            "and no ConnectionStrings:postgres, :rabbitmq and :objectstore were given (scripts/infra.sh starts real servers and prints them).");
    }

    public static PlatformInfrastructure Containers(IDistributedApplicationBuilder builder, ContainerImages images)
    {
        var postgres = builder.AddPostgres("postgres").WithImageFrom(images.Postgres);
        var rabbit = builder.AddRabbitMQ("rabbitmq").WithImageFrom(images.RabbitMq);

        var accessKey = builder.AddParameter("objectstore-user", "examreview");
        var secretKey = builder.AddParameter("objectstore-password", Secrets.NewKey(), secret: true);
        var s3 = builder.AddContainer("s3", images.ObjectStore.Image, images.ObjectStore.Tag)
            .WithImageRegistry(images.ObjectStore.Registry)
            .WithArgs(images.ObjectStore.Args)
            .WithEnvironment("MINIO_ROOT_USER", accessKey)
            .WithEnvironment("MINIO_ROOT_PASSWORD", secretKey)
            .WithHttpEndpoint(targetPort: 9000, name: "http")
            .WithHttpHealthCheck(images.ObjectStore.HealthPath);
        var objectStore = builder.AddConnectionString("objectstore", ReferenceExpression.Create(
            $"Endpoint={s3.GetEndpoint("http")};AccessKey={accessKey};SecretKey={secretKey};Region=us-east-1;Bucket=examreview"));

        return new PlatformInfrastructure
        {
            Database = name => postgres.AddDatabase(name),
            Broker = rabbit,
            ObjectStore = objectStore,
            StartAfter = [postgres, rabbit, s3],
        };
    }

    public static PlatformInfrastructure FromConnectionStrings(IDistributedApplicationBuilder builder)
    {
        string Required(string name) => builder.Configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Infrastructure=connection-strings needs ConnectionStrings:{name}.");

        var server = Required("postgres");
        Required("rabbitmq");
        Required("objectstore");
        var prefix = builder.Configuration["Infrastructure:DatabasePrefix"] ?? "examreview";
        return new PlatformInfrastructure
        {
            // One database per service on the given server, named <prefix>_<service>; each service migrates its own.
            Database = name =>
            {
                builder.Configuration[$"ConnectionStrings:{name}"] = new NpgsqlConnectionStringBuilder(server)
                {
                    Database = $"{prefix}_{name.Replace("db", "", StringComparison.Ordinal)}",
                }.ConnectionString;
                return builder.AddConnectionString(name);
            },
            Broker = builder.AddConnectionString("rabbitmq"),
            ObjectStore = builder.AddConnectionString("objectstore"),
            StartAfter = [],
        };
    }
}

internal static class ContainerRuntime
{
    /// <summary>Whether `docker info` gets an answer from an engine within a few seconds.</summary>
    public static bool Answers() => Run("info", "--format", "{{.ServerVersion}}") == 0;

    /// <summary>Whether an image is present locally (it can then be used without any registry).</summary>
    public static bool HasImage(string reference) => Run("image", "inspect", reference) == 0;

    private static int Run(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                return -1;
            }
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1; // no docker client at all
        }
    }
}
