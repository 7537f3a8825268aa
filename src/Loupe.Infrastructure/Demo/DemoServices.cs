using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Loupe.Infrastructure.Demo;

public static class DemoServices
{
    /// <summary>
    /// In Development with <c>Demo:Enabled</c> true (as <c>build/run.sh</c> sets it): the validated
    /// <c>Demo</c> options and the start-up step that gives a fresh instance its demo organization.
    /// Anywhere else nothing is registered. Call it after <c>AddInfrastructure</c>, so that the step
    /// runs after the start-up migration (hosted services start in the order they are added).
    /// </summary>
    public static IServiceCollection AddDemoOrganization(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var enabled = bool.TryParse(configuration[$"{DemoOptions.Section}:{nameof(DemoOptions.Enabled)}"], out var value) && value;
        if (!enabled || !environment.IsDevelopment())
        {
            return services;
        }

        services.AddOptions<DemoOptions>()
            .Configure(options => configuration.GetSection(DemoOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddHostedService<DemoOrganizationSeeder>();
        return services;
    }
}
