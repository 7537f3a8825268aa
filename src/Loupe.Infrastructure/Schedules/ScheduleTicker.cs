using Loupe.Application.Schedules;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Schedules;

/// <summary>
/// The schedules' tick, on every node that runs the job engine (ADR 0064): every
/// <c>Schedules:TickMilliseconds</c> it asks which organizations have due schedules or uncounted
/// finished runs (the one read across organizations, a SECURITY DEFINER function), then, inside each
/// organization, fires due schedules and counts finished runs in batches of <c>Schedules:BatchSize</c>
/// (<see cref="IScheduleTick"/>), each batch one transaction, until a batch comes back short; firing
/// runs <c>Schedules:FiringConcurrency</c> such loops side by side, so that a burst is not held up by
/// one transaction's round trips. Nodes
/// tick side by side: the claims skip rows another node holds, so they share the work and never
/// repeat it. A tick that fails (the database restarting) is simply tried again at the next.
/// </summary>
internal sealed partial class ScheduleTicker(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, IOptions<ScheduleOptions> options, TimeProvider clock, ILogger<ScheduleTicker> logger)
    : BackgroundService
{
    /// <summary>Organizations one tick looks at, at most (the rest at the next tick).</summary>
    private const int OrganizationsPerTick = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Tick)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.TickInterval, clock);
        do
        {
            try
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (DatabaseFailures.IsDatabaseFailure(failure))
            {
                LogTickFailed(logger, failure.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One tick: every organization with work, fired and counted until nothing is left of it now.</summary>
    internal async Task<int> TickAsync(CancellationToken ct)
    {
        var batch = options.Value.BatchSize;
        var fired = 0;
        foreach (var organizationId in await OrganizationsAsync(ct).ConfigureAwait(false))
        {
            try
            {
                // Side by side, as other nodes' batches are: each claim skips the rows the others hold.
                var firings = await Task.WhenAll(
                    Enumerable.Range(0, options.Value.FiringConcurrency).Select(_ => FireAllAsync(organizationId, batch, ct))).ConfigureAwait(false);
                fired += firings.Sum();

                int settled;
                do
                {
                    settled = await InScopeAsync(tick => tick.SettleAsync(organizationId, batch, ct)).ConfigureAwait(false);
                }
                while (settled == batch);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // One organization's failure (a conflict, a bad row) must not stop the others' schedules; it is logged and tried again at the next tick.
            catch (Exception failure)
#pragma warning restore CA1031
            {
                LogOrganizationFailed(logger, failure, organizationId);
            }
        }

        return fired;
    }

    /// <summary>Batches of due schedules of the organization, one after another, until one comes back short.</summary>
    private async Task<int> FireAllAsync(Guid organizationId, int batch, CancellationToken ct)
    {
        var fired = 0;
        int claimed;
        do
        {
            claimed = await InScopeAsync(tick => tick.FireDueAsync(organizationId, batch, ct)).ConfigureAwait(false);
            fired += claimed;
        }
        while (claimed == batch);

        return fired;
    }

    private async Task<int> InScopeAsync(Func<IScheduleTick, Task<int>> work)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            return await work(scope.ServiceProvider.GetRequiredService<IScheduleTick>()).ConfigureAwait(false);
        }
    }

    private async Task<List<Guid>> OrganizationsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT organization_id FROM loupe_schedules_organizations($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = OrganizationsPerTick });
        var organizations = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            organizations.Add(reader.GetGuid(0));
        }

        return organizations;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The schedules' tick failed ({FailureType}); trying again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, string failureType);

    [LoggerMessage(Level = LogLevel.Error, Message = "The schedules' tick failed in organization {OrganizationId}; trying again at the next tick")]
    private static partial void LogOrganizationFailed(ILogger logger, Exception failure, Guid organizationId);
}
