using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace Loupe.Infrastructure.Logging;

/// <summary>
/// Builds the one Serilog logger of a host: JSON lines on stdout for machines, readable text in
/// Development. Levels come from the <c>Serilog</c> configuration section; scopes (request id,
/// trace id, organization, user) become properties of every line written inside them.
/// </summary>
public static class LoupeLogging
{
    /// <param name="configuration">The host configuration; its <c>Serilog</c> section sets levels.</param>
    /// <param name="development">Readable text instead of JSON lines.</param>
    /// <param name="output">Where lines go; standard output unless a test captures them.</param>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration, bool development, TextWriter? output = null)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext();

        ITextFormatter formatter = development
            ? new MessageTemplateTextFormatter(
                "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}",
                System.Globalization.CultureInfo.InvariantCulture)
            : new JsonFormatter(renderMessage: true);
        logger = output is null ? logger.WriteTo.Console(formatter) : logger.WriteTo.Sink(new TextWriterSink(formatter, output));

        return logger.CreateLogger();
    }
}

/// <summary>Writes formatted events to a writer; one event at a time, so lines never interleave.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : Serilog.Core.ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}
