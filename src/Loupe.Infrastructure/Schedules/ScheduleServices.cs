using Loupe.Application.Schedules;
using Loupe.Domain.Schedules;
using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Schedules;

public static class ScheduleServices
{
    /// <summary>The <c>Schedules</c> options (checked at start-up) as the domain's <see cref="ScheduleRules"/>, the cron library, the tick's claims.</summary>
    public static IServiceCollection AddSchedules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>()
            .Configure(options => configuration.GetSection(ScheduleOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ScheduleOptions>>().Value;
            return new ScheduleRules(TimeSpan.FromSeconds(options.MinimumIntervalSeconds), options.PauseAfterFailures);
        });
        services.AddSingleton<IFireTimes, CronosFireTimes>();
        services.AddScoped<IScheduleClaims, ScheduleClaims>();
        return services;
    }

    /// <summary>The tick; only in hosts that run the job engine.</summary>
    public static IServiceCollection AddScheduleTicks(this IServiceCollection services)
    {
        services.AddSingleton<ScheduleTicker>();
        services.AddHostedService(provider => provider.GetRequiredService<ScheduleTicker>());
        return services;
    }
}
