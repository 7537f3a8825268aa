using Loupe.Api;
using Loupe.Api.ErrorReporting;
using Loupe.Application;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Demo;
using Loupe.Infrastructure.Hosting;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Logging;
using Loupe.Infrastructure.Persistence.Migrations;
using Loupe.Infrastructure.Security.Secrets;
using Serilog;

var builder = WebApplication.CreateBuilder(args is ["migrate", ..] or ["secrets", ..] ? [] : args);
builder.Configuration.AddSecretFiles();

var logger = LoupeLogging.CreateLogger(builder.Configuration, builder.Environment.IsDevelopment());
builder.Logging.ClearProviders().AddSerilog(logger, dispose: true);
builder.AddLoupeErrorReporting();

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize =
        builder.Configuration.GetValue("Api:MaxRequestBodyBytes", ApiServices.DefaultMaxRequestBodyBytes);
});

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi(builder.Configuration)
    .AddDemoOrganization(builder.Configuration, builder.Environment)
    .AddJobEngineInApi(builder.Configuration);

var app = builder.Build();

if (args is ["migrate", .. var migrateArgs])
{
    // The host is built but never started: no web server, no start-up migration, only the command.
    return await MigrationCli.RunAsync(migrateArgs, app.Services.GetRequiredService<MigrationRunner>(), Console.Out, CancellationToken.None);
}

if (args is ["secrets", .. var secretsArgs])
{
    return await SecretsCli.RunAsync(secretsArgs, app.Services.GetRequiredService<SecretRotation>(), Console.Out, CancellationToken.None);
}

app.UseLoupePipeline();
app.MapLoupeEndpoints();
return await HostRunner.RunAsync(app);

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
