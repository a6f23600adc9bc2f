using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// The S3 server of a test collection's own, in a container (Testcontainers' generic container): the project's
/// s3rver image from scripts/images.sh, started as the minio/minio image is (<c>server /data</c>, port 9000,
/// <c>MINIO_ROOT_USER</c>/<c>MINIO_ROOT_PASSWORD</c> as the key pair), unless EXAMREVIEW_S3_IMAGE names another
/// (MinIO where a registry is reachable). Buckets are made on first use; each test names its own.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    private const ushort S3Port = 9000;
    private const string AccessKey = "examreview";

    private readonly string _secretKey = Guid.NewGuid().ToString("N");
    private readonly IContainer _container;

    private S3Server()
    {
        _container = new ContainerBuilder(Environment.GetEnvironmentVariable("EXAMREVIEW_S3_IMAGE") ?? "examreview/s3rver:3.7.1")
            .WithCommand("server", "/data")
            .WithEnvironment("MINIO_ROOT_USER", AccessKey)
            .WithEnvironment("MINIO_ROOT_PASSWORD", _secretKey)
            // s3rver logs every request; the container's log is not read.
            .WithEnvironment("S3_SILENT", "1")
            .WithPortBinding(S3Port, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(S3Port).ForPath("/minio/health/ready")))
            .Build();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{_container.GetMappedPublicPort(S3Port)}");

    /// <summary>As services take it (<c>ConnectionStrings:objectstore</c>), with <paramref name="bucket"/> as the default bucket.</summary>
    public string ConnectionString(string bucket) =>
        $"Endpoint={Endpoint.ToString().TrimEnd('/')};AccessKey={AccessKey};SecretKey={_secretKey};Region=us-east-1;Bucket={bucket}";

    /// <summary>A bucket name no other test uses (S3 rules: lower case, digits, hyphens, 3–63 characters).</summary>
    public static string NewBucketName(string purpose) => $"er-{purpose}-{Guid.NewGuid().ToString("N")[..12]}";

    public static async Task<S3Server> LaunchAsync()
    {
        var server = new S3Server();
        try
        {
            await server._container.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> inside the server's container, with the image's own node and files.</summary>
    public Task<ExecResult> ExecAsync(IList<string> command) => _container.ExecAsync(command);

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
