using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The use cases' side of the engine, bound to the current unit of work: an enqueued job is saved by
/// the scoped <see cref="LoupeDbContext"/>'s next save, cancels and requeues run in its connection
/// (inside its transaction when one is open). All three act for the current organization only — the
/// jobs of another are refused here and invisible to the SQL functions, which read the same setting.
/// </summary>
internal sealed class JobScheduler(LoupeDbContext context, ITenantScope tenant) : IJobScheduler
{
    public Guid Enqueue(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobRequests.Check(request);
        if (request.OrganizationId != tenant.OrganizationId)
        {
            throw new InvalidOperationException(
                "A job is enqueued for the current organization (or, with none, as an instance job); enter its organization first.");
        }

        var job = Job.Queued(Guid.CreateVersion7(), request);
        context.Jobs.Add(job);
        return job.Id;
    }

    public async Task<JobCancellation> CancelAsync(Guid jobId, CancellationToken ct)
    {
        var outcome = await context.Database
            .SqlQuery<string>($"SELECT loupe_jobs_cancel({jobId}) AS \"Value\"")
            .SingleAsync(ct)
            .ConfigureAwait(false);
        return outcome switch
        {
            "cancelled_before_start" => JobCancellation.CancelledBeforeStart,
            "cancellation_requested" => JobCancellation.CancellationRequested,
            _ => JobCancellation.NotCancellable,
        };
    }

    public Task<bool> RequeueAsync(Guid jobId, CancellationToken ct) =>
        context.Database
            .SqlQuery<bool>($"SELECT loupe_jobs_requeue({jobId}) AS \"Value\"")
            .SingleAsync(ct);
}
