using ExamReview.LoadGenerator;

namespace ExamReview.LoadGenerator.Tests;

public sealed class DatabaseStatementsTests
{
    private const string Prefix = "er_load_1";

    [Fact]
    public void The_measured_phase_counts_what_each_shape_did_in_it_busiest_first()
    {
        // Shape 1 ran before and during the phase; shape 2 first ran in it; shape 3 ran before only; shape 4 was evicted
        // and came back with smaller counters, so it counts from zero.
        var before = new[]
        {
            new DatabaseStatements.Statement("er_load_1_materialstorage", 1, "SELECT 1", 100, 50.0, 100),
            new DatabaseStatements.Statement("er_load_1_reviewworkflow", 3, "SELECT 3", 7, 1.0, 7),
            new DatabaseStatements.Statement("er_load_1_registration", 4, "SELECT 4", 900, 90.0, 0),
        };
        var after = new[]
        {
            new DatabaseStatements.Statement("er_load_1_materialstorage", 1, "SELECT\n   1", 160, 80.0, 160),
            new DatabaseStatements.Statement("er_load_1_materialstorage", 2, "COMMIT", 40, 4.0, 0),
            new DatabaseStatements.Statement("er_load_1_reviewworkflow", 3, "SELECT 3", 7, 1.0, 7),
            new DatabaseStatements.Statement("er_load_1_registration", 4, "SELECT 4", 12, 40.0, 0),
        };

        var figures = DatabaseStatements.Delta(before, after, Prefix);

        Assert.Equal(
            [
                new DatabaseStatements.Figure("registration", "SELECT 4", 12, 40.0, 0),
                new DatabaseStatements.Figure("materialstorage", "SELECT 1", 60, 30.0, 60),
                new DatabaseStatements.Figure("materialstorage", "COMMIT", 40, 4.0, 0),
            ],
            figures);
    }

    [Fact]
    public void Rows_of_one_shape_for_two_users_count_as_one()
    {
        var before = new[] { new DatabaseStatements.Statement("er_load_1_registration", 9, "SELECT 9", 5, 1.0, 5) };
        var after = new[]
        {
            new DatabaseStatements.Statement("er_load_1_registration", 9, "SELECT 9", 8, 2.0, 8),
            new DatabaseStatements.Statement("er_load_1_registration", 9, "SELECT 9", 3, 0.5, 3),
        };

        Assert.Equal([new DatabaseStatements.Figure("registration", "SELECT 9", 6, 1.5, 6)], DatabaseStatements.Delta(before, after, Prefix));
    }

    [Fact]
    public void The_report_gives_statements_and_transactions_per_upload_per_service()
    {
        // A pooled connection's reset is seven statements on a connection with prepared ones (here 30 resets), DISCARD
        // ALL on one without (10): resets, not work.
        var figures = new[]
        {
            new DatabaseStatements.Figure("materialstorage", "SELECT a FROM \"Applications\"", 60, 30.0, 60),
            new DatabaseStatements.Figure("materialstorage", "COMMIT", 40, 4.0, 0),
            new DatabaseStatements.Figure("materialstorage", "RESET ALL", 30, 0.3, 0),
            new DatabaseStatements.Figure("materialstorage", "SELECT pg_advisory_unlock_all()", 30, 0.3, 30),
            new DatabaseStatements.Figure("registration", "SELECT 4", 12, 6.0, 0),
            new DatabaseStatements.Figure("registration", "DISCARD ALL", 10, 0.1, 0),
        };
        var lines = new List<string>();

        DatabaseStatements.Print(figures, verdicts: 20, lines.Add);

        Assert.Contains("5.6 statements and 2.00 ms executing per validated upload, besides 2.0 connection resets", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^  materialstorage\s+5\.0 statements/upload\s+1\.70 ms/upload\s+transactions \(COMMIT\)\s+2\.0/upload\s+connection resets\s+1\.5/upload$", lines[1]);
        Assert.Matches(@"^  registration\s+0\.6 statements/upload", lines[2]);
        Assert.Matches(@"^    materialstorage\s+3\.00 calls\s+1\.500 ms\s+0\.500 ms/call\s+1\.0 rows  SELECT a FROM ""Applications""$", lines[4]);
    }

    [Fact]
    public void Without_the_extension_the_report_says_why_there_is_no_count()
    {
        var lines = new List<string>();
        DatabaseStatements.Print(null, verdicts: 20, lines.Add);
        Assert.Contains("n/a", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("er_load_1_materialstorage", "materialstorage")]
    [InlineData("postgres", "postgres")]
    public void A_run_database_is_named_by_its_service(string database, string service) =>
        Assert.Equal(service, DatabaseStatements.Service(database, Prefix));

    [Fact]
    public void A_long_statement_is_cut_with_an_ellipsis() =>
        Assert.Equal("SELECT a…", DatabaseStatements.Shorten("SELECT a, b FROM t", 9));
}
