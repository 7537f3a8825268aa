using System.Reflection;
using Loupe.Infrastructure.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Sentry;

namespace Loupe.Infrastructure.ErrorReporting;

/// <summary>
/// Error reporting to Sentry (ADR 0041): off unless <c>Sentry:Dsn</c> is set, and then only
/// unhandled API exceptions and jobs that ended failed or dead-lettered, each scrubbed by
/// <see cref="SentryEventScrubber"/>. Without a DSN no Sentry service is registered and the SDK is
/// never initialized, so nothing can leave the process.
/// </summary>
public static class SentryReporting
{
    public const string Section = "Sentry";

    /// <summary>Whether <c>Sentry:Dsn</c> is set: the one switch.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{Section}:Dsn"]);
    }

    /// <summary>
    /// Loupe's settings for a host's SDK, applied after anything the SDK bound from configuration so
    /// that configuration cannot turn collection back on: the DSN, the host's environment, the release,
    /// no personal data, no breadcrumbs, no tracing or metrics (OpenTelemetry's job), and the scrubber.
    /// </summary>
    public static void Apply(SentryOptions options, IConfiguration configuration, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        options.Dsn = section["Dsn"];
        options.Environment = environmentName;
        options.Release = section["Release"] is { Length: > 0 } release ? release : DefaultRelease;

        options.SendDefaultPii = false;
        options.IsEnvironmentUser = false;
        options.CaptureFailedRequests = false;
        options.AutoSessionTracking = false;
        options.TracesSampleRate = 0;
        options.TracesSampler = null;
        options.ProfilesSampleRate = null;
        options.DisableDiagnosticSourceIntegration();
        options.DisableSystemDiagnosticsMetricsIntegration();
        options.SetBeforeSendTransaction((_, _) => null);
        options.SetBeforeSend((sentryEvent, _) => SentryEventScrubber.Scrub(sentryEvent));

        // Loupe's own log already holds the trail before a failure, under the event's request or job
        // id; a copy of its free text (SQL of EF Core's command lines, database error messages) is not
        // sent anywhere.
        options.SetBeforeBreadcrumb((_, _) => null);
    }

    /// <summary>
    /// Reporting for a host without HTTP (<c>Loupe.Worker</c>): initializes the SDK when the host is
    /// built and started, flushes it when the host stops, and reports the engine's failed jobs. Does
    /// nothing without <c>Sentry:Dsn</c>.
    /// </summary>
    public static IServiceCollection AddLoupeErrorReporting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddSingleton(provider =>
        {
            var options = new SentryOptions();
            Apply(options, configuration, provider.GetRequiredService<IHostEnvironment>().EnvironmentName);
            return new SentrySdkLifetime(options);
        });
        services.AddHostedService(provider => provider.GetRequiredService<SentrySdkLifetime>());
        return services.AddJobFailureReports(provider => provider.GetRequiredService<SentrySdkLifetime>().Hub);
    }

    /// <summary>Reports the job engine's failed and dead-lettered jobs through the hub the host initialized.</summary>
    public static IServiceCollection AddJobFailureReports(this IServiceCollection services, Func<IServiceProvider, IHub> hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        services.Replace(ServiceDescriptor.Singleton<IJobFailureReporter>(provider => new SentryJobFailureReporter(hub(provider))));
        return services;
    }

    /// <summary><c>loupe@</c> and the informational version (with the commit, when the build knew it).</summary>
    private static string DefaultRelease =>
        "loupe@" + (typeof(SentryReporting).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
}
