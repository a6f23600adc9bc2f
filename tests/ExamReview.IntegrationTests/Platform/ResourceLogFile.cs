using System.Collections.Concurrent;
using ExamReview.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ExamReview.IntegrationTests.Platform;

/// <summary>
/// Keeps what the distributed run's processes print (Aspire forwards each resource's output to the test host's
/// loggers) in a file under <c>TestResults/resource-logs</c>, one per run, so a failure that only says "500, traceId …"
/// can be read back: <c>scripts/test.sh</c> prints the error lines of these files when the suite fails.
/// </summary>
public sealed class ResourceLogFile : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly ConcurrentDictionary<string, Logger> _loggers = new(StringComparer.Ordinal);

    public ResourceLogFile()
    {
        var directory = System.IO.Path.Combine(RepoPaths.Root, "TestResults", "resource-logs");
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}.log");
        _writer = new StreamWriter(Path) { AutoFlush = true };
    }

    public string Path { get; }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, c => new Logger(this, c));

    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }

    private void Write(string category, LogLevel level, string message)
    {
        lock (_writer)
        {
            if (_writer.BaseStream.CanWrite)
            {
                _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level} [{category}] {message}");
            }
        }
    }

    private sealed class Logger(ResourceLogFile file, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                file.Write(category, logLevel, exception is null ? formatter(state, exception) : $"{formatter(state, exception)} {exception}");
            }
        }
    }
}
