using Loupe.Application.Auth;
using Loupe.Application.Runs;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Loupe.Infrastructure.Telemetry;

/// <summary>
/// Traces and metrics for both hosts (ADR 0040), on the OpenTelemetry SDK. Traces: the host's own
/// instrumentation (added by the host), outgoing HTTP, Loupe's database commands (without SQL text)
/// and job attempts; recorded and pushed over OTLP only when an endpoint is configured, otherwise only
/// the trace context is passed on (to the jobs a request enqueues, among others). Metrics: the meters
/// below, for the host's Prometheus endpoint and, when configured, OTLP.
/// </summary>
public static class TelemetryServices
{
    /// <summary>Loupe's own meters in every host: the job engine, runs by outcome and identity events (the API adds its own).</summary>
    public static readonly string[] LoupeMeters = [JobMetrics.MeterName, RunMetrics.MeterName, IdentityMetrics.MeterName];

    public static IServiceCollection AddLoupeTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<TracerProviderBuilder>? tracing = null,
        Action<MeterProviderBuilder>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TelemetryOptions>()
            .Configure(options => configuration.GetSection(TelemetryOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddOptions<MetricsOptions>()
            .Configure(options => configuration.GetSection(MetricsOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton<MetricsAccess>();

        var otlp = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.Otlp ?? new TelemetryOptions.OtlpOptions();
        var exporting = !string.IsNullOrWhiteSpace(otlp.Endpoint) || !string.IsNullOrWhiteSpace(configuration[TelemetryOptions.StandardEndpointVariable]);

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(builder =>
            {
                builder.AddSource(JobTracing.SourceName).AddHttpClientInstrumentation().AddNpgsql();
                if (exporting)
                {
                    builder.AddOtlpExporter(exporter => Configure(exporter, otlp, "v1/traces"));
                }
                else
                {
                    // Nothing to send spans to: none is recorded, but a context received is still passed on.
                    builder.SetSampler(new AlwaysOffSampler());
                }

                tracing?.Invoke(builder);
            })
            .WithMetrics(builder =>
            {
                builder.AddMeter(LoupeMeters)
                    .AddMeter("System.Runtime")
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (exporting)
                {
                    builder.AddOtlpExporter(exporter => Configure(exporter, otlp, "v1/metrics"));
                }

                metrics?.Invoke(builder);
            });
        return services;
    }

    /// <summary>
    /// Applies <c>Telemetry:Otlp</c> when it is set; otherwise the exporter reads the standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables itself. Over HTTP each signal has its own path under the base address.
    /// </summary>
    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions.OtlpOptions otlp, string signalPath)
    {
        if (string.IsNullOrWhiteSpace(otlp.Endpoint))
        {
            return;
        }

        var endpoint = new Uri(otlp.Endpoint.EndsWith('/') ? otlp.Endpoint : otlp.Endpoint + "/");
        if (otlp.Protocol == TelemetryOptions.OtlpOptions.HttpProtobuf)
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint, signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
    }
}
