using Microsoft.Extensions.Hosting;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>
/// Applies pending migrations before the host serves anything (hosted services start before the
/// web server), unless <c>Database:MigrateOnStartup</c> is false.
/// </summary>
internal sealed class MigrateOnStartup(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.UpAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
