namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// PostgreSQL, RabbitMQ and the S3 server of one test collection, each in its own container (Testcontainers), started
/// side by side and removed with the collection. Tests make their own databases, virtual hosts and buckets on them.
/// No fallback: without a Docker engine (or without the project's images, scripts/images.sh) the collection fails.
/// </summary>
public sealed class ServerContainers : IAsyncLifetime
{
    private readonly PostgresContainer _postgres = new();
    private RabbitMqServer? _rabbit;
    private S3Server? _s3;

    /// <summary>Server-level connection string (database <c>postgres</c>).</summary>
    public string Postgres => _postgres.ConnectionString;

    public RabbitMqServer RabbitMq => _rabbit ?? throw new InvalidOperationException("Not started.");

    public S3Server S3 => _s3 ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        // Side by side; whatever started is kept in its field for DisposeAsync, even when another failed.
        await Task.WhenAll(StartRabbitMqAsync(), StartS3Async(), _postgres.InitializeAsync());

        async Task StartRabbitMqAsync() => _rabbit = await RabbitMqServer.LaunchAsync();
        async Task StartS3Async() => _s3 = await S3Server.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<ServerContainers>
{
    public const string Name = "server containers";
}
