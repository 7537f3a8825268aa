using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.GetJobsOverview;

/// <summary>
/// Counts per status, queue depths, the oldest wait, the throughput graphs, the running jobs and the latest
/// failures (instance admins): what the admin API's overview and the dashboard's first page show.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetJobsOverviewQuery : IRequest<JobsOverviewDto>
{
    /// <summary>How many running jobs the overview lists (newest first); every node's slots together rarely hold more.</summary>
    public const int RunningLimit = 200;

    /// <summary>How many of the latest failures the overview lists.</summary>
    public const int LatestFailureLimit = 20;
}

internal sealed class GetJobsOverviewQueryHandler(IJobsReadModel readModel, IJobAdministration jobs, TimeProvider clock)
    : IRequestHandler<GetJobsOverviewQuery, JobsOverviewDto>
{
    public async Task<JobsOverviewDto> Handle(GetJobsOverviewQuery request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counts = AdminJobStatuses.Totals(await readModel.CountAsync(cancellationToken).ConfigureAwait(false));

        var queues = await jobs.QueuesAsync(cancellationToken).ConfigureAwait(false);
        var running = await jobs.PageAsync(new JobPageFilter(Statuses: [JobStatus.Running]), GetJobsOverviewQuery.RunningLimit, cancellationToken).ConfigureAwait(false);
        var failures = await readModel.RecentFailuresAsync(GetJobsOverviewQuery.LatestFailureLimit, cancellationToken).ConfigureAwait(false);
        var oldest = queues.Count == 0 ? (DateTimeOffset?)null : queues.Min(q => q.OldestRunAt);
        var second = Floor(now, TimeSpan.FromSeconds(1));
        var hour = Floor(now, TimeSpan.FromHours(1));
        var day = Floor(now, TimeSpan.FromDays(1));
        return new JobsOverviewDto(
            now,
            counts,
            [.. queues.Select(q => new QueueDepthDto(q.Queue, q.Priority, q.Depth, q.OldestRunAt))],
            oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : null,
            await SeriesAsync(second, TimeSpan.FromSeconds(1), 60, ThroughputUnit.Second, cancellationToken).ConfigureAwait(false),
            await SeriesAsync(hour, TimeSpan.FromHours(1), 24, ThroughputUnit.Hour, cancellationToken).ConfigureAwait(false),
            await SeriesAsync(day, TimeSpan.FromDays(1), 7, ThroughputUnit.Day, cancellationToken).ConfigureAwait(false),
            [.. running.Select(row => AdminJobDto.From(row, now))],
            [.. failures.Select(failure => AdminJobDto.From(new AdminJobRow(failure, null, null, null, null, null), now))]);
    }

    /// <summary>Exactly <paramref name="buckets"/> buckets ending with the current one, zero where nothing finished.</summary>
    private async Task<IReadOnlyList<ThroughputDto>> SeriesAsync(DateTimeOffset current, TimeSpan width, int buckets, ThroughputUnit unit, CancellationToken ct)
    {
        var first = current - (width * (buckets - 1));
        var found = (await jobs.ThroughputAsync(first, unit, ct).ConfigureAwait(false)).ToDictionary(b => b.Start);
        return [.. Enumerable.Range(0, buckets).Select(i => first + (width * i)).Select(start =>
            found.TryGetValue(start, out var b) ? new ThroughputDto(start, b.Succeeded, b.Failed) : new ThroughputDto(start, 0, 0))];
    }

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width) =>
        new(time.UtcTicks - (time.UtcTicks % width.Ticks), TimeSpan.Zero);
}
