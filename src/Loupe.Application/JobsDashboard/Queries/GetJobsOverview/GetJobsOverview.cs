using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.JobsDashboard.Queries.GetJobsOverview;

/// <summary>What the overview page of the jobs dashboard shows: counts by status, the running jobs, the latest failures.</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record GetJobsOverviewQuery : IRequest<JobsOverview>
{
    /// <summary>How many of the latest failures the page lists.</summary>
    public const int RecentFailureLimit = 20;
}

/// <param name="Counts">Every status, in the order the page shows them, with zero where there is none.</param>
/// <param name="RecentFailures">Failed and dead-lettered jobs, newest first; their payloads are never read.</param>
public sealed record JobsOverview(
    IReadOnlyList<JobStatusCount> Counts,
    IReadOnlyList<RunningJob> Running,
    IReadOnlyList<JobSummary> RecentFailures);

public sealed record JobStatusCount(JobStatus Status, long Jobs);

internal sealed class GetJobsOverviewQueryHandler(IJobsReadModel jobs) : IRequestHandler<GetJobsOverviewQuery, JobsOverview>
{
    public async Task<JobsOverview> Handle(GetJobsOverviewQuery request, CancellationToken cancellationToken)
    {
        var counts = await jobs.CountAsync(cancellationToken).ConfigureAwait(false);
        var running = await jobs.RunningAsync(cancellationToken).ConfigureAwait(false);
        var failures = await jobs.RecentFailuresAsync(GetJobsOverviewQuery.RecentFailureLimit, cancellationToken).ConfigureAwait(false);
        var byStatus = Enum.GetValues<JobStatus>()
            .Select(status => new JobStatusCount(status, counts.Where(c => c.Status == status).Sum(c => c.Jobs)))
            .ToList();
        return new JobsOverview(byStatus, running, failures);
    }
}
