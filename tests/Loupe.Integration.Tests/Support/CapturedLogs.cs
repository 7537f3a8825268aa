using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// One log line as the application wrote it. <see cref="Scope"/> holds the properties it was written
/// with beyond its message: its scopes' (request id, trace id…) and, for a line captured from Serilog,
/// also those its message names.
/// </summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope, Exception? Exception);

/// <summary>
/// Keeps every line in memory, scopes included, for assertions. It is a logger provider for a plain
/// <see cref="ILoggerFactory"/>, and a Serilog sink for a Loupe host (registered as a service, it joins
/// the host's logger).
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope, ILogEventSink
{
    /// <summary>Messages as Microsoft.Extensions.Logging renders them: text values without quotes.</summary>
    private static readonly MessageTemplateTextFormatter MessageOnly = new("{Message:l}", CultureInfo.InvariantCulture);

    private readonly ConcurrentQueue<CapturedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var properties = logEvent.Properties.ToDictionary(
            pair => pair.Key,
            pair => pair.Value is ScalarValue scalar ? scalar.Value : (object?)pair.Value,
            StringComparer.Ordinal);
        var category = properties.GetValueOrDefault("SourceContext") as string ?? string.Empty;
        using var message = new StringWriter(CultureInfo.InvariantCulture);
        MessageOnly.Format(logEvent, message);
        _lines.Enqueue(new CapturedLine(category, LevelOf(logEvent.Level), message.ToString(), properties, logEvent.Exception));
    }

    public void Dispose()
    {
    }

    private static LogLevel LevelOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => LogLevel.Trace,
        LogEventLevel.Debug => LogLevel.Debug,
        LogEventLevel.Information => LogLevel.Information,
        LogEventLevel.Warning => LogLevel.Warning,
        LogEventLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope(
                (value, target) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            target[key] = item;
                        }
                    }
                },
                scope);
            owner._lines.Enqueue(new CapturedLine(category, logLevel, formatter(state, exception), scope, exception));
        }
    }
}
