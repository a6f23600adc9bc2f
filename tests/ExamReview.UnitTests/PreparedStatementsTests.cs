using ExamReview.ServiceDefaults.Persistence;
using Npgsql;

namespace ExamReview.UnitTests;

/// <summary>
/// The services' PostgreSQL connections prepare their statements (issue 19), unless the connection string says
/// otherwise, as it must behind a pooler that cannot hold prepared statements.
/// </summary>
public sealed class PreparedStatementsTests
{
    [Fact]
    public void A_service_connection_prepares_a_statement_after_its_second_use_and_keeps_64()
    {
        var prepared = new NpgsqlConnectionStringBuilder(DatabaseExtensions.WithPreparedStatements("Host=db;Database=materials;Username=u;Password=p"));

        Assert.Equal(64, prepared.MaxAutoPrepare);
        Assert.Equal(2, prepared.AutoPrepareMinUsages);
        Assert.Equal("materials", prepared.Database);
        Assert.Equal("p", prepared.Password);
    }

    [Theory]
    [InlineData("Host=pgbouncer;Database=materials;Max Auto Prepare=0")]
    [InlineData("Host=db;Database=materials;Auto Prepare Min Usages=5")]
    [InlineData("Host=pgbouncer;Database=materials;MaxAutoPrepare=0")]
    public void A_connection_string_that_sets_auto_preparation_keeps_its_own(string connectionString) =>
        Assert.Equal(connectionString, DatabaseExtensions.WithPreparedStatements(connectionString));
}
