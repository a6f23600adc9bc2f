using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExamReview.ServiceDefaults.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// S3-compatible storage from <c>ConnectionStrings:objectstore</c>, or a directory under the data
    /// directory when that is absent (embedded run). Readiness checks the store.
    /// </summary>
    public static WebApplicationBuilder AddObjectStore(this WebApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(IObjectStore) && !d.IsKeyedService))
        {
            return builder; // the embedded host composes several services that share one store
        }
        var connectionString = builder.Configuration.GetConnectionString("objectstore");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var root = Path.Combine(Path.GetFullPath(builder.Configuration["DataDirectory"] ?? ".data"), "objects");
            builder.Services.AddSingleton<IObjectStore>(new FileSystemObjectStore(root));
        }
        else
        {
            var options = S3StoreOptions.Parse(
                connectionString,
                builder.Configuration["Storage:Bucket"],
                builder.Configuration.GetValue("Storage:UseChunkEncoding", false));
            // A factory, not an instance: the container disposes what it created (the S3 client's connections).
            builder.Services.AddSingleton<IObjectStore>(_ => new S3ObjectStore(options));
        }
        builder.Services.AddHealthChecks().AddCheck<ObjectStoreHealthCheck>("objectstore", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// The store as <paramref name="name"/> may use it: a <see cref="ScopedObjectStore"/> over the bucket
    /// <see cref="AddObjectStore"/> configures, resolved as the keyed service <paramref name="name"/>. Which
    /// bucket that is, and whose credentials reach it, is configuration (<c>ConnectionStrings:objectstore</c>,
    /// <c>Storage:Bucket</c>); the grants are what the service's code needs, and deployment gives its
    /// credentials a bucket policy with the same statements.
    /// </summary>
    public static WebApplicationBuilder AddObjectStoreView(this WebApplicationBuilder builder, string name, params ObjectGrant[] grants)
    {
        builder.AddObjectStore();
        builder.Services.AddKeyedSingleton<IObjectStore>(name, (sp, _) => new ScopedObjectStore(sp.GetRequiredService<IObjectStore>(), name, grants));
        return builder;
    }
}

internal sealed class ObjectStoreHealthCheck(IObjectStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await store.CheckAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Object store unreachable", ex);
        }
    }
}
