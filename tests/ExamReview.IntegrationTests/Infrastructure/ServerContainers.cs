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
        var rabbit = RabbitMqServer.LaunchAsync();
        var s3 = S3Server.LaunchAsync();
        var postgres = _postgres.InitializeAsync();
        // Whatever started is kept for DisposeAsync, even when another failed.
        try
        {
            await Task.WhenAll(rabbit, s3, postgres);
        }
        finally
        {
            _rabbit = rabbit.IsCompletedSuccessfully ? rabbit.Result : null;
            _s3 = s3.IsCompletedSuccessfully ? s3.Result : null;
        }
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
