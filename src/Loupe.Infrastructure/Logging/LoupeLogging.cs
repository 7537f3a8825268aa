using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Loupe.Infrastructure.Logging;

/// <summary>
/// The logging of a Loupe host, in one place: Serilog behind <see cref="Microsoft.Extensions.Logging.ILogger"/>,
/// one line per event on standard output (compact JSON for machines, readable text in Development),
/// levels from the <c>Serilog</c> configuration section, and the properties of the current scope
/// (request id, trace id) on every line written inside it.
/// </summary>
public static class LoupeLogging
{
    /// <summary>The Development line: time, level, message, and the request id that ties a line to its request.</summary>
    public const string DevelopmentTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:l} {RequestId}{NewLine}{Exception}";

    /// <summary>
    /// Makes Serilog the host's logger factory. The host's logger is its own, never the static
    /// <see cref="Log.Logger"/> (hosts started side by side in one process, as the tests do, would
    /// share it). Sinks and enrichers registered as services join it: the tests capture lines that way.
    /// Logger providers that other integrations register after this call receive every event too.
    /// </summary>
    public static IServiceCollection AddLoupeLogging(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var development = environment.IsDevelopment();

        // The framework's own console and debug providers would write every line a second time.
        services.RemoveAll<ILoggerProvider>();
        return services.AddSerilog(
            (provider, logger) => logger
                .ReadLoupeSettings(configuration)
                .ReadFrom.Services(provider)
                .WriteTo.Console(LineFormatter(development)),
            preserveStaticLogger: true,
            writeToProviders: true);
    }

    /// <summary>
    /// The logger for the start-up of a host, before its own logger exists: it writes what stops the
    /// start (the format follows <c>ASPNETCORE_ENVIRONMENT</c> or <c>DOTNET_ENVIRONMENT</c>).
    /// </summary>
    public static Serilog.Core.Logger CreateBootstrapLogger()
    {
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                          ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var development = string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase);
        return new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.FromLogContext()
            .WriteTo.Console(LineFormatter(development))
            .CreateLogger();
    }

    /// <summary>
    /// Levels (Information, Microsoft and System.Net.Http at Warning, the host's lifetime lines at
    /// Information, then whatever the <c>Serilog</c> section says) and the scope properties.
    /// </summary>
    public static LoggerConfiguration ReadLoupeSettings(this LoggerConfiguration logger, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext();
    }

    /// <summary>
    /// One event, one line: rendered compact JSON (<c>@t</c>, <c>@m</c>, <c>@l</c>, <c>@x</c>, <c>@tr</c>,
    /// then the properties) outside Development, <see cref="DevelopmentTemplate"/> in it.
    /// </summary>
    public static ITextFormatter LineFormatter(bool development) =>
        development
            ? new MessageTemplateTextFormatter(DevelopmentTemplate, System.Globalization.CultureInfo.InvariantCulture)
            : new RenderedCompactJsonFormatter();
}
