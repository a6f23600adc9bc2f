using ExamReview.ServiceDefaults.Storage;
using Microsoft.Extensions.Logging;

namespace ExamReview.UnitTests;

/// <summary>Deleting what a committed write left behind: a refusing store is logged, never turned into a failed answer.</summary>
public sealed class LeftoverObjectsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "examreview-leftovers-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_delete_the_store_refuses_is_logged_with_its_key_and_the_others_still_go()
    {
        var bucket = new FileSystemObjectStore(_root);
        // A view that may delete under b/ only: deleting a/kept throws, as a store that is down would.
        var view = new ScopedObjectStore(bucket, "test", [new ObjectGrant("a/", ObjectAccess.Read), new ObjectGrant("b/", ObjectAccess.Read | ObjectAccess.Delete)]);
        await bucket.PutAsync("a/kept", new byte[] { 1 }, "image/jpeg", CancellationToken.None);
        await bucket.PutAsync("b/gone", new byte[] { 2 }, "image/jpeg", CancellationToken.None);
        var logger = new RecordingLogger();

        await view.DeleteLeftoversAsync(["a/kept", "b/gone"], logger);

        Assert.Equal(["a/kept"], await bucket.ListAsync("", CancellationToken.None));
        var (level, text) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains("a/kept", text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
