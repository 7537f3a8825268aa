using Loupe.Application.Dashboards;
using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Dashboards;

public static class DashboardServices
{
    /// <summary>The <c>Dashboards</c> options (checked at start-up), the Markdown renderer and the cache of dashboard answers (empty until a listener hears changes).</summary>
    public static IServiceCollection AddDashboards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Configure(options => configuration.GetSection(DashboardOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton(provider => new DashboardSettings(provider.GetRequiredService<IOptions<DashboardOptions>>().Value.TileRows));
        services.AddSingleton<IMarkdownRenderer, MarkdownRenderer>();
        services.AddSingleton<DashboardViewCache>();
        services.AddSingleton<IDashboardViewCache>(provider => provider.GetRequiredService<DashboardViewCache>());
        services.AddScoped<DashboardChangeInterceptor>();
        services.AddScoped<Application.Dashboards.IDashboardUsage, DashboardUsage>();
        services.TryAddSingleton<Application.Common.Results.IWireJson, HostWireJson>();
        return services;
    }

    /// <summary>
    /// Hears changes of dashboards and what they show from PostgreSQL, so that this host keeps dashboard
    /// answers (ADR 0056); only in hosts that serve them (the API).
    /// </summary>
    public static IServiceCollection AddDashboardChangeListener(this IServiceCollection services)
    {
        services.AddHostedService<DashboardChangeListener>();
        return services;
    }
}
