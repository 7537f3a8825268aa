using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Schedules;
using Mapster;

namespace Loupe.Application.Schedules;

/// <summary>
/// Runs a schedule now, in the current organization, whether it is enabled or not; its next time does
/// not move. The run is an ordinary run of the query that names the schedule, becomes the schedule's
/// last run (saved together) and counts for its failures like a fired one. An archived schedule or
/// query is a 409; a full queue a 429, as for any run someone asks for. The one path of an editor's
/// trigger and an instance admin's.
/// </summary>
internal sealed class ScheduleTrigger(
    IRepository<Schedule> schedules,
    IRepository<SavedQuery> queries,
    IRepository<DataSource> dataSources,
    RunQueue queue,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TypeAdapterConfig mapping,
    TimeProvider clock)
{
    /// <param name="details">What the audit event records beside the schedule (who triggered it, when not a member).</param>
    public async Task<RunDto> TriggerAsync(Guid id, IReadOnlyDictionary<string, string>? details, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", id);
        schedule.EnsureActive();
        var query = await queries.FindAsync(schedule.QueryId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", schedule.QueryId);
        if (query.IsArchived)
        {
            throw new DomainException(SavedQueryErrors.ArchivedCannotRun);
        }

        var dataSource = await dataSources.FindAsync(query.DataSourceId, cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(SavedQueryErrors.DataSourceGone);
        var bound = ScheduledRuns.Bind(query, schedule);
        var run = (await queue.StageAsync(
            [new RunQueue.Request(dataSource, query.Id, bound, null, null, SavedTimeoutSeconds: query.TimeoutSeconds, ScheduleId: schedule.Id)],
            capped: true,
            cancellationToken).ConfigureAwait(false))[0];
        schedule.RecordRunStarted(run.Id, clock.GetUtcNow());
        audit.Record(AuditActions.ScheduleTriggered, new AuditTarget("schedule", schedule.Id), details: details);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return run.Adapt<RunDto>(mapping);
    }
}
