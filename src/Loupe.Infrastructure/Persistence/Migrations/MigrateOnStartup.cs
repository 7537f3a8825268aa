using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>
/// Applies pending migrations before the host serves anything (hosted services start before the
/// web server), unless <c>Database:MigrateOnStartup</c> is false.
/// </summary>
internal sealed class MigrateOnStartup(MigrationRunner runner, IOptions<DatabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateOnStartup ? runner.UpAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
