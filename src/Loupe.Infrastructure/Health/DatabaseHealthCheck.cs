using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Loupe.Infrastructure.Health;

/// <summary>Ready only when the application role can open a connection and run a statement.</summary>
internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The message may name hosts; the detail stays in the log, the probe only says why in general.
            return HealthCheckResult.Unhealthy("The database cannot be reached.", exception);
        }
    }
}
