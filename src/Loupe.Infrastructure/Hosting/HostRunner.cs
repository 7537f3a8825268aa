using Loupe.Infrastructure.Persistence.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Hosting;

/// <summary>
/// Runs a Loupe host and turns the failures an operator can fix (bad configuration, an unreachable
/// database, an edited migration) into one clear log line and exit code 1, instead of a stack trace.
/// </summary>
public static partial class HostRunner
{
    public static async Task<int> RunAsync(IHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Loupe.Startup");
        try
        {
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException invalid)
        {
            var failures = string.Join(" ", invalid.Failures);
            LogCannotStart(logger, "the configuration is invalid", failures);
        }
        catch (MigrationDriftException drift)
        {
            LogCannotStart(logger, "the database disagrees with the migrations", drift.Message);
        }
        catch (NpgsqlException unreachable)
        {
            LogCannotStart(logger, "the database cannot be reached", unreachable.Message);
        }

        return 1;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Loupe cannot start: {Reason}. {Details}")]
    private static partial void LogCannotStart(ILogger logger, string reason, string details);
}
