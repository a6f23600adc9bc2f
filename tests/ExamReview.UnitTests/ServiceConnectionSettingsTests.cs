using ExamReview.ServiceDefaults.Persistence;
using Npgsql;

namespace ExamReview.UnitTests;

/// <summary>
/// The services' PostgreSQL connections prepare their statements and skip the reset on their way back to the pool
/// (issue 19), unless the connection string says otherwise, as it must behind a pooler that cannot hold prepared
/// statements. What skipping the reset keeps and what it still undoes is checked on a real server in the integration
/// tests (ServiceConnectionReusePostgresTests).
/// </summary>
public sealed class ServiceConnectionSettingsTests
{
    [Fact]
    public void A_service_connection_prepares_a_statement_after_its_second_use_keeps_64_and_is_not_reset_on_close()
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.TunedForServices("Host=db;Database=materials;Username=u;Password=p"));

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("materials", tuned.Database);
        Assert.Equal("p", tuned.Password);
    }

    [Theory]
    [InlineData("Host=pgbouncer;Database=materials;Max Auto Prepare=0")]
    [InlineData("Host=db;Database=materials;Auto Prepare Min Usages=5")]
    [InlineData("Host=pgbouncer;Database=materials;MaxAutoPrepare=0")]
    public void A_connection_string_that_sets_auto_preparation_keeps_its_own(string connectionString)
    {
        var expected = new NpgsqlConnectionStringBuilder(connectionString);
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.TunedForServices(connectionString));

        Assert.Equal(expected.MaxAutoPrepare, tuned.MaxAutoPrepare);
        Assert.Equal(expected.AutoPrepareMinUsages, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose); // the other setting is still added
    }

    [Theory]
    [InlineData("Host=db;Database=materials;No Reset On Close=false")]
    [InlineData("Host=db;Database=materials;NoResetOnClose=false")]
    public void A_connection_string_that_asks_for_the_reset_keeps_it(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(DatabaseExtensions.TunedForServices(connectionString));

        Assert.False(tuned.NoResetOnClose);
        Assert.Equal(64, tuned.MaxAutoPrepare);
    }
}
