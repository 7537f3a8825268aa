using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Health;
using Loupe.Infrastructure.Runs;
using Loupe.Infrastructure.Schedules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Jobs;

public static class JobServices
{
    /// <summary>Time the host gets after the grace period to cancel, hand back and close.</summary>
    private static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What every host needs to use jobs without running them: the validated <c>Jobs</c> options, the
    /// scheduler (bound to the unit of work), the dashboard's read model and the engine's own probe
    /// handler. Called by <c>AddInfrastructure</c>.
    /// </summary>
    internal static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>()
            .Configure(options => configuration.GetSection(JobsOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddScoped<IJobScheduler, JobScheduler>();
        services.AddSingleton<IInstanceJobs, InstanceJobs>();
        services.AddSingleton<IJobsReadModel, JobsReadModel>();
        services.AddSingleton<IJobQueues, JobQueues>();
        services.AddSingleton<IJobAdministration, JobAdministration>();
        services.AddSingleton<RecurringJobs>();
        services.AddSingleton<IRecurringJobs>(provider => provider.GetRequiredService<RecurringJobs>());
        services.AddScoped<IJobHandler, ProbeJobHandler>();
        return services;
    }

    /// <summary>
    /// Runs a node of the job engine in this host (<c>Loupe.Worker</c> always; <c>Loupe.Api</c> when
    /// <c>Jobs:RunInApi</c> is true, see <see cref="AddJobEngineInApi"/>), with its readiness check, and
    /// a host shutdown timeout long enough for the grace period. Call it after <c>AddInfrastructure</c>,
    /// so that the engine starts after the start-up migration.
    /// </summary>
    public static IServiceCollection AddJobEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton(JobNodeHost.Worker);
        services.AddSingleton<JobsDataSource>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobListener>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobRetention>();
        services.AddScoped<IJobHandler, JobRetentionJob>();
        services.AddHostedService<JobRetentionSchedule>();

        // Replaced by AddLoupeErrorReporting when an error reporter is configured, whichever is called first.
        services.TryAddSingleton<IJobFailureReporter, NoJobFailureReporter>();
        services.AddSingleton<JobEngine>();
        services.AddHostedService(provider => provider.GetRequiredService<JobEngine>());
        services.AddRunMaintenance();
        services.AddScheduleTicks();
        services.AddSingleton<IConfigureOptions<HostOptions>>(provider => new ConfigureOptions<HostOptions>(host =>
        {
            var needed = provider.GetRequiredService<IOptions<JobsOptions>>().Value.ShutdownGrace + StopMargin;
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        }));
        services.AddHealthChecks().AddCheck<JobEngineHealthCheck>("jobs", HealthStatus.Unhealthy, [DependencyInjection.ReadinessTag]);
        return services;
    }

    /// <summary>The API's choice: the engine runs in-process only when <c>Jobs:RunInApi</c> is true (<c>build/run.sh</c> sets it).</summary>
    public static IServiceCollection AddJobEngineInApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetValue<bool>($"{JobsOptions.Section}:{nameof(JobsOptions.RunInApi)}"))
        {
            return services;
        }

        services.TryAddSingleton(JobNodeHost.Api);
        return services.AddJobEngine(configuration);
    }
}
