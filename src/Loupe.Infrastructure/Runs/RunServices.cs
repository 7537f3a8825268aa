using Loupe.Application.Common.Jobs;
using Loupe.Application.Runs;
using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Runs;

public static class RunServices
{
    /// <summary>The <c>Runs</c> options (checked at start-up) as the application's <see cref="RunSettings"/>, result retention and the stranded-run sweep.</summary>
    public static IServiceCollection AddRuns(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunOptions>()
            .Configure(options => configuration.GetSection(RunOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RunOptions>>().Value;
            return new RunSettings(
                TimeSpan.FromDays(options.ResultRetentionDays),
                (long)options.MaxResultMegabytes << 20,
                TimeSpan.FromMilliseconds(options.SlowRunMilliseconds),
                options.MaxAttempts,
                options.MaxQueuedPerOrganization);
        });
        services.AddSingleton<ResultRetention>();
        services.AddScoped<IJobHandler, ResultRetentionJob>();
        services.AddSingleton<StrandedRuns>();
        services.AddScoped<IJobHandler, StrandedRunsJob>();
        return services;
    }

    /// <summary>Queues the retention and stranded-run sweeps periodically; only in hosts that run the job engine.</summary>
    public static IServiceCollection AddRunMaintenance(this IServiceCollection services)
    {
        services.AddHostedService<ResultRetentionSchedule>();
        return services;
    }
}
