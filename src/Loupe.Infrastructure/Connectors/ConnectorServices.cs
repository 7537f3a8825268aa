using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Connectors.Postgres;
using Loupe.Infrastructure.Connectors.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Connectors;

public static class ConnectorServices
{
    /// <summary>
    /// The <c>DataSources</c> options (checked at start-up), the instance's <see cref="DataSourceLimits"/>,
    /// and every connector as a singleton behind <see cref="IDataSourceConnectors"/>; the container
    /// disposes them, and with them every pool, when the host stops.
    /// </summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataSourceOptions>()
            .Configure(options => configuration.GetSection(DataSourceOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.TryAddSingleton(provider => new DataSourceLimits(provider.GetRequiredService<IOptions<DataSourceOptions>>().Value.MaxQueryTimeoutSeconds));

        // Local hosts are allowed in Development only, unless listed in DataSources:AllowedHosts (ADR 0027).
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<DataSourceOptions>>().Value
            .HostPolicy(provider.GetService<IHostEnvironment>()?.IsDevelopment() ?? false));
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceConnector, PostgresConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataSourceConnector, SqliteConnector>());
        services.TryAddSingleton<IDataSourceConnectors, DataSourceConnectors>();
        services.TryAddSingleton<ISchemaCache, MemorySchemaCache>();
        return services;
    }
}
