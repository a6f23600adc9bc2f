using ExamReview.MaterialStorage.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamReview.MaterialStorage.Pages;

/// <summary>
/// On PostgreSQL, hears which candidate pages changed: triggers on the tables a page shows NOTIFY
/// <see cref="Channel"/> with the candidate's id (or <c>*</c> for a catalog or an area's settings), and PostgreSQL
/// delivers that at commit, to every instance listening. So a verdict applied by one instance wakes the page a
/// candidate holds open on another, and a write rolled back wakes nobody. Each instance keeps one connection for it.
/// After a lost connection every page is woken once, since changes may have been missed meanwhile.
/// </summary>
public sealed class PostgreSqlPageChangeListener(IServiceProvider services, PageChanges changes, ILogger<PostgreSqlPageChangeListener> logger) : BackgroundService
{
    /// <summary>The channel the migration's triggers notify (PageChangeNotifications).</summary>
    public const string Channel = "material_pages";

    /// <summary>What a trigger sends when every page may have changed.</summary>
    public const string Everyone = "*";

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = ListenerConnectionString();
        if (connectionString is null)
        {
            return; // SQLite: the committing context signals instead
        }
        var listening = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                if (listening)
                {
                    logger.LogInformation("Listening for page changes again");
                }
                listening = true;
                changes.ChangedEverywhere(); // whatever committed while nobody listened
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
            {
                // The database restarted or the connection broke: pages fall back to their wait's end until it is back.
                logger.LogWarning(e, "Page change notifications lost; reconnecting in {Delay}", Reconnect);
                changes.ChangedEverywhere();
                await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void Deliver(string payload)
    {
        if (Guid.TryParse(payload, out var candidateId))
        {
            changes.Changed(candidateId);
        }
        else
        {
            changes.ChangedEverywhere();
        }
    }

    /// <summary>
    /// The context's connection string with keep-alives, so a connection the server dropped without a word is found
    /// out within seconds rather than hanging the listener; null on SQLite.
    /// </summary>
    private string? ListenerConnectionString()
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<MaterialStorageDbContext>();
        if (db.IsSqlite || db.Database.GetConnectionString() is not { } configured)
        {
            return null;
        }
        return new NpgsqlConnectionStringBuilder(configured) { KeepAlive = 10, Pooling = false, ApplicationName = "material-pages" }.ConnectionString;
    }
}
