using Loupe.Application.Common.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Loupe.Infrastructure.Connectors.Postgres;

public static class PostgresConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the guarded PostgreSQL <see cref="IQueryConnector"/> as a singleton: one bounded pool
    /// per connection string, all disposed when the host stops (the container disposes the singleton).
    /// </summary>
    public static IServiceCollection AddPostgresConnector(this IServiceCollection services)
    {
        services.TryAddSingleton<PostgresQueryConnector>();
        services.TryAddSingleton<IQueryConnector>(provider => provider.GetRequiredService<PostgresQueryConnector>());
        return services;
    }
}
