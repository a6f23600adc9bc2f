using Testcontainers.PostgreSql;

namespace ExamReview.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the collection's own, in a container (Testcontainers): the project's image from
/// scripts/images.sh (Debian's PostgreSQL 15 honouring the official image's settings) unless
/// EXAMREVIEW_POSTGRES_IMAGE names another (the official <c>postgres:15</c> where a registry is reachable).
/// Tests create their own databases on it. No fallback: without a Docker engine the collection fails.
/// </summary>
public sealed class PostgresContainer : IAsyncLifetime
{
    private readonly PostgreSqlContainer _container = new PostgreSqlBuilder(Environment.GetEnvironmentVariable("EXAMREVIEW_POSTGRES_IMAGE") ?? "examreview/postgres:15")
        .WithUsername("examreview")
        .WithPassword("examreview")
        .Build();

    /// <summary>Server-level connection string (database <c>postgres</c>).</summary>
    public string ConnectionString => _container.GetConnectionString();

    public Task InitializeAsync() => _container.StartAsync();

    public Task DisposeAsync() => _container.DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresContainer>
{
    public const string Name = "postgres container";
}
