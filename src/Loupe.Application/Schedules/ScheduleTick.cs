using Loupe.Application.Common.Events;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs;
using Loupe.Domain.Audit;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Schedules;

/// <summary>One organization's share of a tick (<see cref="ScheduleTick"/>), called by the hosts' ticker.</summary>
public interface IScheduleTick
{
    /// <summary>Fires up to <paramref name="limit"/> due schedules of the organization in one transaction; how many it claimed.</summary>
    Task<int> FireDueAsync(Guid organizationId, int limit, CancellationToken ct);

    /// <summary>Counts up to <paramref name="limit"/> finished runs of the organization's schedules in one transaction; how many it counted.</summary>
    Task<int> SettleAsync(Guid organizationId, int limit, CancellationToken ct);
}

/// <summary>
/// What a tick does inside one organization, each step one transaction (ADR 0064):
/// <list type="bullet">
/// <item><b>Fire</b>: claims due schedules (<c>FOR UPDATE SKIP LOCKED</c>), queues each one's run through
/// <see cref="RunQueue"/> (an ordinary run of its query, at scheduled priority, naming the schedule) and
/// moves its next time past now, all in one save: however many workers tick, a due time makes one
/// run, and after downtime a schedule fires once. A firing that cannot queue its run (query
/// archived, data source gone, values that no longer fit) counts as a failure.</item>
/// <item><b>Settle</b>: claims finished runs of schedules not counted yet and records each outcome on its
/// schedule (failures counted, a success ending the count, the Nth failure in a row pausing it),
/// marking the run counted in the same save, so each outcome is counted exactly once. Every failure
/// stages <c>schedule.run_failed</c>, and a pause <c>schedule.paused</c>, in the outbox of that same save:
/// an event exists if and only if the schedule's change committed.</item>
/// </list>
/// </summary>
internal sealed class ScheduleTick(
    ITenantScope tenant,
    IScheduleClaims claims,
    IReadStore store,
    IQueryExecutor executor,
    RunQueue queue,
    IFireTimes times,
    ScheduleRules rules,
    IAuditTrail audit,
    IEventOutbox events,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IScheduleTick
{
    public Task<int> FireDueAsync(Guid organizationId, int limit, CancellationToken ct)
    {
        tenant.Enter(organizationId);
        return unitOfWork.InTransactionAsync(
            async () =>
            {
                var now = clock.GetUtcNow();
                var due = await claims.ClaimDueAsync(now, limit, ct).ConfigureAwait(false);
                if (due.Count == 0)
                {
                    return 0;
                }

                var queryIds = due.Select(s => s.QueryId).Distinct().ToList();
                var queries = (await executor.ToListAsync(store.Query<SavedQuery>().Where(q => queryIds.Contains(q.Id)), ct).ConfigureAwait(false))
                    .ToDictionary(q => q.Id);
                var dataSourceIds = queries.Values.Select(q => q.DataSourceId).Distinct().ToList();
                var dataSources = (await executor.ToListAsync(store.Query<DataSource>().Where(d => dataSourceIds.Contains(d.Id)), ct).ConfigureAwait(false))
                    .ToDictionary(d => d.Id);

                var requests = new List<RunQueue.Request>(due.Count);
                var firing = new List<Schedule>(due.Count);
                foreach (var schedule in due)
                {
                    schedule.Fire(times, now);
                    var query = queries.GetValueOrDefault(schedule.QueryId);
                    string? refused = null;
                    RunBinding.Bound? bound = null;
                    if (query is null || query.IsArchived)
                    {
                        refused = "The schedule's query is archived; restore it, or archive the schedule.";
                    }
                    else if (!dataSources.TryGetValue(query.DataSourceId, out var dataSource))
                    {
                        refused = SavedQueryErrors.DataSourceGone.Message;
                    }
                    else if (!ScheduledRuns.TryBind(query, schedule, out bound, out var problem))
                    {
                        refused = $"The schedule's values no longer fit the query's parameters ({problem.Field}: {problem.Message})";
                    }
                    else
                    {
                        requests.Add(new RunQueue.Request(
                            dataSource, query.Id, bound, null, null, JobPriority.Scheduled, query.TimeoutSeconds, schedule.Id));
                        firing.Add(schedule);
                    }

                    if (refused is not null)
                    {
                        Record(schedule, schedule.RecordFiringRefused(refused, rules, now), null, null, "schedule.not_queued", now);
                    }
                }

                var runs = await queue.StageAsync(requests, capped: false, ct).ConfigureAwait(false);
                for (var i = 0; i < runs.Count; i++)
                {
                    firing[i].RecordRunStarted(runs[i].Id, now);
                }

                await claims.SaveFiredAsync(firing, ct).ConfigureAwait(false);
                await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
                return due.Count;
            },
            ct);
    }

    public Task<int> SettleAsync(Guid organizationId, int limit, CancellationToken ct)
    {
        tenant.Enter(organizationId);
        return unitOfWork.InTransactionAsync(
            async () =>
            {
                var finished = await claims.ClaimFinishedRunsAsync(limit, ct).ConfigureAwait(false);
                if (finished.Count == 0)
                {
                    return 0;
                }

                var schedules = (await claims.LockAsync([.. finished.Select(r => r.ScheduleId!.Value).Distinct()], ct).ConfigureAwait(false))
                    .ToDictionary(s => s.Id);
                var now = clock.GetUtcNow();
                foreach (var run in finished.OrderBy(r => r.FinishedAt).ThenBy(r => r.Id))
                {
                    run.SettleForSchedule();
                    if (schedules.TryGetValue(run.ScheduleId!.Value, out var schedule))
                    {
                        var error = run.Error is { } failure ? $"{failure.Code}: {failure.Message}" : null;
                        Record(schedule, schedule.RecordRunFinished(run.Id, run.Status, error, rules, now), run.Id, run.Status, run.Error?.Code, now);
                    }
                }

                await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
                return finished.Count;
            },
            ct);
    }

    /// <summary>
    /// What a failure leaves besides the schedule's own change, staged in the same save: the event
    /// <c>schedule.run_failed</c> for every failure, and for the one that paused the schedule an audit
    /// entry (no user acted) and <c>schedule.paused</c>.
    /// </summary>
    private void Record(Schedule schedule, Schedule.RunOutcome outcome, Guid? runId, RunStatus? status, string? errorCode, DateTimeOffset now)
    {
        if (outcome == Schedule.RunOutcome.Succeeded)
        {
            return;
        }

        events.Add(
            WebhookEvents.ScheduleRunFailed,
            schedule.OrganizationId,
            new ScheduleEvents.RunFailed(
                schedule.Id, schedule.Name, schedule.QueryId, runId, status?.ToName() ?? "not_queued", errorCode, schedule.ConsecutiveFailures, now));
        if (outcome == Schedule.RunOutcome.Paused)
        {
            audit.Record(
                AuditActions.SchedulePaused,
                new AuditTarget("schedule", schedule.Id),
                details: new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["consecutive_failures"] = schedule.ConsecutiveFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            events.Add(WebhookEvents.SchedulePaused, schedule.OrganizationId, ScheduleEvents.PausedOf(schedule, now));
        }
    }
}
