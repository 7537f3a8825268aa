using Loupe.Api;
using Loupe.Api.ErrorReporting;
using Loupe.Application;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Dashboards;
using Loupe.Infrastructure.Demo;
using Loupe.Infrastructure.Hosting;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Logging;
using Loupe.Infrastructure.Persistence.Migrations;
using Loupe.Infrastructure.Security.Secrets;
using Serilog;

// Until the host's own logger exists, a failure to start is written by the bootstrap logger.
Log.Logger = LoupeLogging.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args is ["migrate", ..] or ["secrets", ..] ? [] : args);
    builder.Configuration.AddSecretFiles();
    builder.Services.AddLoupeLogging(builder.Configuration, builder.Environment);
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
        .AddJobEngineInApi(builder.Configuration)
        .AddDashboardChangeListener();

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
}
catch (Exception exception) when (exception is not HostAbortedException)
{
    // HostAbortedException is how tools (the test host, EF) stop the program after building it.
    Log.Fatal(exception, "Loupe.Api could not start, or stopped on an unexpected error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
