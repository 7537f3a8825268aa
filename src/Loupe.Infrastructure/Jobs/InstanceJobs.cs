using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Tenancy;
using Npgsql;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// One round trip on the application's pool: a batch that sets no organization for its implicit
/// transaction (so the row-level security policy admits exactly instance jobs) and the outbox's insert.
/// </summary>
internal sealed class InstanceJobs(NpgsqlDataSource dataSource) : IInstanceJobs
{
    public async Task<Guid> EnqueueAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobRequests.Check(request);
        if (request.OrganizationId is not null)
        {
            throw new InvalidOperationException("Only an instance job (of no organization) is stored outside the unit of work.");
        }

        var job = Job.Queued(Guid.CreateVersion7(), request);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(OrganizationSetting.BatchCommand(null));
        batch.BatchCommands.Add(JobOutbox.InsertCommand([job]));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return job.Id;
    }
}
