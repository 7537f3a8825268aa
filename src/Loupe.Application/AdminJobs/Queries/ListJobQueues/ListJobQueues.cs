using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.ListJobQueues;

/// <summary>
/// Every queue the engine knows, by name: the queues with waiting jobs (due or not yet), the paused ones
/// (even empty) and those a live node claims from; each with its due jobs per priority, oldest wait, jobs
/// not due yet and pause (instance admins).
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ListJobQueuesQuery : IRequest<JobQueuesDto>;

internal sealed class ListJobQueuesQueryHandler(IJobAdministration jobs, IJobQueues queues, IJobsReadModel readModel, TimeProvider clock)
    : IRequestHandler<ListJobQueuesQuery, JobQueuesDto>
{
    public async Task<JobQueuesDto> Handle(ListJobQueuesQuery request, CancellationToken cancellationToken)
    {
        var depths = await jobs.QueuesAsync(cancellationToken).ConfigureAwait(false);
        var notDue = (await jobs.QueuesNotDueAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(q => q.Queue, StringComparer.Ordinal);
        var paused = (await queues.PausedAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Queue, p => p.PausedAt, StringComparer.Ordinal);
        var nodes = (await readModel.NodesAsync(cancellationToken).ConfigureAwait(false)).Where(n => !n.Lost).ToList();
        var now = clock.GetUtcNow();
        var names = depths.Select(d => d.Queue).Concat(notDue.Keys).Concat(paused.Keys).Concat(nodes.SelectMany(n => n.Queues)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new JobQueuesDto(now, [.. names.Select(name =>
        {
            var waiting = depths.Where(d => d.Queue == name).OrderBy(d => d.Priority).ToList();
            DateTimeOffset? oldest = waiting.Count == 0 ? null : waiting.Min(d => d.OldestRunAt);
            return new JobQueueDto(
                name,
                waiting.Sum(d => d.Depth),
                [.. waiting.Select(d => new JobQueuePriorityDto(d.Priority, d.Depth, d.OldestRunAt))],
                oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
                paused.ContainsKey(name),
                paused.TryGetValue(name, out var since) ? since : null,
                [.. nodes.Where(n => n.Queues.Contains(name, StringComparer.Ordinal)).Select(n => n.Node).Order(StringComparer.Ordinal)],
                notDue.TryGetValue(name, out var later) ? later.Jobs : 0,
                later?.NextRunAt);
        })]);
    }
}
