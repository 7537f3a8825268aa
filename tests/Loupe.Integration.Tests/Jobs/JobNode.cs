using Loupe.Application;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// One node of the job engine in this test process: a real host with Loupe's infrastructure, the
/// engine under its own node id, and the test's handlers. Built without starting, so a test can
/// enqueue first; disposing stops it gracefully.
/// </summary>
internal sealed class JobNode : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _started;

    private JobNode(IHost host, string nodeId, CapturedLogs logs)
    {
        _host = host;
        NodeId = nodeId;
        Logs = logs;
    }

    public string NodeId { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Settings every test node starts with: quick polls and sweeps, short retries.</summary>
    public static IReadOnlyDictionary<string, string?> FastSettings { get; } = new Dictionary<string, string?>
    {
        ["Jobs:PollMilliseconds"] = "250",
        ["Jobs:SweepSeconds"] = "1",
        ["Jobs:RetryBaseSeconds"] = "0.2",
        ["Jobs:RetryMaxSeconds"] = "2",
        ["Jobs:ShutdownGraceSeconds"] = "5",

        // These tests count the jobs they enqueue: no maintenance job joins them.
        ["Runs:RetentionSweepMinutes"] = "0",
        ["Jobs:Retention:SweepMinutes"] = "0",
    };

    public static JobNode Create(
        string database,
        string nodeId,
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool withEngine = true)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Loupe"] = TestPostgres.AppConnection(database),
            ["ConnectionStrings:LoupeOwner"] = TestPostgres.OwnerConnection(database),
            ["Database:MigrateOnStartup"] = "false",
            ["Database:MaxPoolSize"] = "30",
            ["Auth:SigningKey"] = LoupeApiFactory.TestSigningKey,
            ["Secrets:ActiveKeyId"] = LoupeApiFactory.TestSecretsKeyId,
            [$"Secrets:Keys:{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey,
            ["Jobs:NodeId"] = nodeId,
        };
        foreach (var (key, value) in FastSettings.Concat(TestDataSourceHosts.Settings).Concat(settings ?? new Dictionary<string, string?>()))
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        if (withEngine)
        {
            builder.Services.AddJobEngine(builder.Configuration);
        }

        services?.Invoke(builder.Services);
        return new JobNode(builder.Build(), nodeId, logs);
    }

    public async Task<JobNode> StartAsync()
    {
        await _host.StartAsync(TestContext.Current.CancellationToken);
        _started = true;
        return this;
    }

    /// <summary>Stops the node as SIGTERM would: no more claims, running jobs get the grace period.</summary>
    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await _host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Enqueues the jobs in one unit of work of <paramref name="organizationId"/> (none: instance jobs) and saves it.</summary>
    public async Task<IReadOnlyList<Guid>> EnqueueAsync(Guid? organizationId, params JobRequest[] requests)
    {
        await using var scope = Services.CreateAsyncScope();
        if (organizationId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(id);
        }

        var scheduler = scope.ServiceProvider.GetRequiredService<IJobScheduler>();
        var ids = requests.Select(scheduler.Enqueue).ToList();
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(TestContext.Current.CancellationToken);
        return ids;
    }

    /// <summary>Runs <paramref name="work"/> with the scheduler of a unit of work of <paramref name="organizationId"/>.</summary>
    public async Task<T> WithSchedulerAsync<T>(Guid? organizationId, Func<IJobScheduler, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        if (organizationId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(id);
        }

        return await work(scope.ServiceProvider.GetRequiredService<IJobScheduler>());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
