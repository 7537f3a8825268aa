using Loupe.Application.Common.Persistence;
using Loupe.Application.Runs;
using Loupe.Domain.Runs;

namespace Loupe.Application.AdminJobs;

/// <summary>
/// What an instance admin's action on a query run's job does to the run, inside the run's own
/// organization (<see cref="Common.Security.IInstanceAdminOrganizationWork"/>): the run's state machine
/// decides, as it does for the organization's own cancel.
/// </summary>
internal sealed class AdminRunChanges(IRepository<QueryRun> runs, IUnitOfWork unitOfWork, TimeProvider clock)
{
    /// <summary>The run's status; null when it no longer exists.</summary>
    public async Task<RunStatus?> StatusAsync(Guid runId, CancellationToken ct) =>
        (await runs.FindAsync(runId, ct).ConfigureAwait(false))?.Status;

    /// <summary>
    /// Cancels the run unless it has finished, as the run's own cancel does (the save retried on a
    /// concurrent change, e.g. its worker starting an attempt); answers its status after, null when it no longer exists.
    /// </summary>
    public async Task<RunStatus?> CancelAsync(Guid runId, CancellationToken ct)
    {
        var run = await runs.FindAsync(runId, ct).ConfigureAwait(false);
        if (run is null || run.Status.IsFinished())
        {
            return run?.Status;
        }

        var cancelled = await unitOfWork.SaveWithRetryAsync(
            () => run.Cancel(clock.GetUtcNow()),
            async () => await runs.ReloadAsync(run, ct).ConfigureAwait(false) && !run.Status.IsFinished(),
            ct).ConfigureAwait(false);
        if (cancelled)
        {
            RunMetrics.Finished(run.Status);
        }

        return run.Status;
    }
}
