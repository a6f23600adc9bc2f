using System.Diagnostics;
using System.Text.Json;
using ExamReview.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ExamReview.ServiceDefaults.Persistence;

/// <summary>
/// Base of every service's DbContext: it owns the service's outbox and inbox tables, so that a state
/// change and the messages it causes are committed in one transaction.
/// </summary>
public abstract class ServiceDbContext : DbContext
{
    /// <summary>
    /// Without automatic savepoints: EF Core would wrap every SaveChanges inside an explicit transaction (every inbox
    /// consumer, relay pass and locked write) in SAVEPOINT … RELEASE SAVEPOINT, two more round trips each, so that a
    /// failed save could be rolled back alone and the transaction go on. No caller goes on after a failed save: each
    /// abandons its transaction (issue 19: 4.9 savepoint pairs per upload in MaterialStorage, 3.2 in ReviewWorkflow).
    /// A pooled context keeps this: EF Core restores a lease's settings to what the constructor left.
    /// </summary>
    protected ServiceDbContext(DbContextOptions options)
        : base(options)
    {
        Database.AutoSavepointsEnabled = false;
    }

    internal static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    public bool IsSqlite => Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) == true;

    /// <summary>Outbox rows were saved and the relays are woken when they commit (<see cref="Messaging.OutboxWakeInterceptor"/>).</summary>
    internal bool OutboxRowsAwaitingCommit { get; set; }

    /// <summary>
    /// A context built directly (tests, <c>dotnet ef</c>) completes its options here. A pooled one (the host, see
    /// <see cref="DatabaseExtensions.AddServiceDatabase{TDbContext, TPostgreSql, TSqlite}"/>) got them when the pool
    /// was made, and must not change them now: EF Core refuses a pooled context whose OnConfiguring alters its options.
    /// </summary>
    protected sealed override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        if (!HasOwnOptions(optionsBuilder.Options))
        {
            AddOwnOptionsTo(optionsBuilder);
        }
    }

    /// <summary>What this context adds to its provider's options: the outbox wake-up, then <see cref="AddOptions"/>.</summary>
    internal void AddOwnOptionsTo(DbContextOptionsBuilder optionsBuilder)
    {
        optionsBuilder.AddInterceptors(Messaging.OutboxWakeInterceptor.Instance);
        AddOptions(optionsBuilder);
    }

    /// <summary>A service's own interceptors and replaced services; called once per set of options, pooled or not.</summary>
    protected virtual void AddOptions(DbContextOptionsBuilder optionsBuilder)
    {
    }

    private static bool HasOwnOptions(DbContextOptions options) =>
        options.FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.Interceptors?.Contains(Messaging.OutboxWakeInterceptor.Instance) == true;

    /// <summary>Queues a message to be published once the current transaction commits.</summary>
    public void Publish<TMessage>(TMessage message) where TMessage : class => Publish(typeof(TMessage), message);

    /// <summary>Queues the messages a domain model decided on, each under its own contract type.</summary>
    public void PublishAll(IEnumerable<object> messages)
    {
        foreach (var message in messages)
        {
            Publish(message.GetType(), message);
        }
    }

    private void Publish(Type type, object message)
    {
        if (type.Assembly != typeof(Contracts.ContractTypes).Assembly)
        {
            throw new InvalidOperationException($"{type.FullName} is not a message contract.");
        }
        OutboxMessages.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = type.FullName!,
            Body = JsonSerializer.Serialize(message, type, MessageJson),
            TraceParent = Activity.Current?.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset columns: it stores ticks, in UTC so that they order as the instants
        // do. PostgreSQL takes only UTC values for timestamptz. Either way a value in another offset means its instant.
        if (IsSqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestamps.SqliteConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestamps.PostgreSqlConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
        modelBuilder.ApplyConfiguration(new InboxMessageConfiguration());
    }
}

public sealed class OutboxMessage
{
    public long Sequence { get; set; }
    public Guid MessageId { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(x => x.Sequence);
        builder.Property(x => x.Sequence).ValueGeneratedOnAdd();
        builder.Property(x => x.MessageType).HasMaxLength(200);
        builder.Property(x => x.LastError).HasMaxLength(2000);
        builder.HasIndex(x => x.MessageId).IsUnique();
        builder.HasIndex(x => x.PublishedAt);
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("InboxMessages");
        builder.HasKey(x => new { x.MessageId, x.Consumer });
        builder.Property(x => x.Consumer).HasMaxLength(200);
        builder.HasIndex(x => x.ProcessedAt);
    }
}
