using Loupe.Application;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.ErrorReporting;
using Loupe.Infrastructure.Hosting;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Logging;
using Serilog;

// The worker host: the same configuration, logging and infrastructure as the API, without HTTP.
// It applies pending migrations at start-up (unless disabled) and hosts the background services
// registered by Infrastructure, the job engine among them (one node per worker process). With
// Sentry:Dsn set, failed jobs are reported (ADR 0041); error reporting is registered before the engine
// so that it stops after it.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddSecretFiles();

var logger = LoupeLogging.CreateLogger(builder.Configuration, builder.Environment.IsDevelopment());
builder.Logging.ClearProviders().AddSerilog(logger, dispose: true);

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddLoupeErrorReporting(builder.Configuration)
    .AddJobEngine(builder.Configuration);

using var host = builder.Build();
return await HostRunner.RunAsync(host).ConfigureAwait(false);
