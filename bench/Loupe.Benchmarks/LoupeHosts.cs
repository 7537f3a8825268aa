using System.Security.Cryptography;
using Loupe.Application;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.DataSources;
using Loupe.Application.DataSources.Commands.CreateDataSource;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Logging;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Serilog;
using Serilog.Events;

namespace Loupe.Benchmarks;

/// <summary>An organization of the bench database: its admin, and its PostgreSQL data source (the bench database itself).</summary>
internal sealed record BenchTenant(Guid OrganizationId, Guid AdminId, DataSourceDto DataSource, ConnectionTarget Target);

/// <summary>
/// Loupe put together the way its two hosts do it, on the bench database: an API side
/// (<c>AddApplication</c> and <c>AddInfrastructure</c>, no engine, as <c>Loupe.Api</c> with
/// <c>Jobs:RunInApi</c> false) whose scopes send commands as a member of an organization, and worker
/// nodes started on demand (the same plus <c>AddJobEngine</c>, as <c>Loupe.Worker</c>). Both read
/// <c>Loupe.Worker</c>'s own appsettings.json, with the bench database, a secrets key, no start-up
/// migration (the database is migrated already) and no result retention sweep (a maintenance job each
/// node would queue as it starts, in the middle of a measurement). Logs: warnings and errors, on stderr.
/// </summary>
internal sealed class LoupeHosts : IAsyncDisposable
{
    private readonly BenchDatabase _database;
    private readonly Dictionary<string, string?> _settings;
    private readonly IHost _api;

    private LoupeHosts(BenchDatabase database, IReadOnlyDictionary<string, string?>? settings)
    {
        _database = database;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Loupe"] = database.AppConnection,
            ["Database:MigrateOnStartup"] = "false",
            ["Runs:RetentionSweepMinutes"] = "0",

            // P4 queues its runs first (500 per organization) and then drains them: above the default queue cap of 200.
            ["Runs:MaxQueuedPerOrganization"] = "100000",

            // The bench's PostgreSQL is on this machine, which hosts outside Development only reach when listed (ADR 0027).
            ["DataSources:AllowedHosts:0"] = "127.0.0.1",
            ["Secrets:ActiveKeyId"] = "bench",
            ["Secrets:Keys:bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",

            // StatementCounter counts round trips from Npgsql's spans, sorted by their text: every command
            // of Loupe's pools must make one, with its text (ADR 0040). Without a listener they cost nothing.
            ["Database:TraceAllCommands"] = "true",
            ["Database:TraceStatementText"] = "true",

            // The webhooks section delivers to a receiver on this machine, over plain http, and retries quickly.
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Webhooks:RetryBaseSeconds"] = "0.05",
            ["Webhooks:RetryMaxSeconds"] = "0.5",
            ["Webhooks:DisableAfterFailures"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        var builder = NewBuilder();
        builder.Services.AddScoped<BenchCaller>();
        builder.Services.AddScoped<ICurrentUser>(provider => provider.GetRequiredService<BenchCaller>());
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        _api = builder.Build();
        Jobs = _api.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
    }

    /// <summary>The API side's services (scopes enter an organization through <c>ITenantScope</c>).</summary>
    public IServiceProvider Services => _api.Services;

    /// <summary>The engine's settings as a worker node runs with them.</summary>
    public JobsOptions Jobs { get; }

    public IDataSourceConnector Connector =>
        _api.Services.GetRequiredService<IDataSourceConnectors>().ConnectorFor(DataSourceType.Postgresql);

    public static LoupeHosts For(BenchDatabase database) => new(database, null);

    /// <summary>As <see cref="For(BenchDatabase)"/>, with more settings (winning over the bench's own).</summary>
    public static LoupeHosts For(BenchDatabase database, IReadOnlyDictionary<string, string?> settings) => new(database, settings);

    /// <summary>A new organization with an admin and a data source created by <c>CreateDataSourceCommand</c> (password stored encrypted).</summary>
    public async Task<BenchTenant> AddTenantAsync(string name)
    {
        var (organizationId, adminId) = await _database.AddOrganizationAsync(name);
        var owner = new NpgsqlConnectionStringBuilder(_database.OwnerConnection);
        var created = await SendAsync(
            organizationId,
            adminId,
            new CreateDataSourceCommand(
                "Bench database",
                "postgresql",
                Settings: new DataSourceSettingsInput
                {
                    Host = owner.Host,
                    Port = owner.Port,
                    Database = owner.Database,
                    Username = owner.Username,
                    Password = owner.Password,
                    SslMode = "disable",
                }));
        var target = new ConnectionTarget(
            created.Value.Id,
            ConnectionSettings.Postgresql(owner.Host, owner.Port, owner.Database, owner.Username, PostgresSslMode.Disable),
            owner.Password);
        return new BenchTenant(organizationId, adminId, created.Value, target);
    }

    /// <summary>Sends <paramref name="request"/> through the mediator pipeline, in a scope of its own, as the tenant's admin.</summary>
    public Task<T> SendAsync<T>(BenchTenant tenant, IRequest<T> request) => SendAsync(tenant.OrganizationId, tenant.AdminId, request);

    /// <summary>Enqueues <paramref name="count"/> jobs of the organization in one unit of work (one insert, one wake-up).</summary>
    public async Task<Guid[]> EnqueueAsync(Guid organizationId, Func<Guid, JobRequest> request, int count)
    {
        var scope = _api.Services.CreateAsyncScope();
        await using (scope)
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
            var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
            var ids = Enumerable.Range(0, count).Select(_ => scheduler.Enqueue(request(organizationId))).ToArray();
            await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
            return ids;
        }
    }

    /// <summary>Starts a job engine node in this process, its handlers watched by <see cref="WorkerNode.Watch"/>.</summary>
    public async Task<WorkerNode> StartWorkerAsync()
    {
        var watch = new JobWatch();
        var builder = NewBuilder();
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddJobEngine(builder.Configuration);
        watch.WrapHandlers(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new WorkerNode(host, watch);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.StopAsync();
        _api.Dispose();
    }

    private async Task<T> SendAsync<T>(Guid organizationId, Guid userId, IRequest<T> request)
    {
        var scope = _api.Services.CreateAsyncScope();
        await using (scope)
        {
            scope.ServiceProvider.GetRequiredService<BenchCaller>().ActAs(userId, organizationId, Role.Admin);
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
        }
    }

    private HostApplicationBuilder NewBuilder()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "worker.appsettings.json"), optional: false)
            .AddInMemoryCollection(_settings);
        var logger = new LoggerConfiguration()
            .ReadLoupeSettings(builder.Configuration)
            .WriteTo.Console(LoupeLogging.LineFormatter(development: true), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        builder.Logging.AddSerilog(logger, dispose: true);
        return builder;
    }
}

/// <summary>A running node of the job engine; disposing it stops it the way SIGTERM stops Loupe.Worker.</summary>
internal sealed class WorkerNode(IHost host, JobWatch watch) : IAsyncDisposable
{
    public JobWatch Watch { get; } = watch;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
