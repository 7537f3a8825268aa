using Loupe.Application;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.ErrorReporting;
using Loupe.Infrastructure.Hosting;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Logging;
using Loupe.Worker;
using Serilog;

// The worker host: the same configuration, logging and infrastructure as the API, without HTTP.
// It applies pending migrations at start-up (unless disabled) and hosts the background services
// registered by Infrastructure, the job engine among them (one node per worker process). With
// Sentry:Dsn set, failed jobs are reported (ADR 0041); error reporting is registered before the engine
// so that it stops after it.
// Until the host's own logger exists, a failure to start is written by the bootstrap logger.
Log.Logger = LoupeLogging.CreateBootstrapLogger();
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Configuration.AddSecretFiles();
    builder.Services.AddLoupeLogging(builder.Configuration, builder.Environment);

    builder.Services
        .AddApplication()
        .AddInfrastructure(builder.Configuration)
        .AddLoupeErrorReporting(builder.Configuration)
        .AddJobEngine(builder.Configuration)
        .AddWorkerTelemetry(builder.Configuration);

    using var host = builder.Build();
    return await HostRunner.RunAsync(host).ConfigureAwait(false);
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    Log.Fatal(exception, "Loupe.Worker could not start, or stopped on an unexpected error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync().ConfigureAwait(false);
}
