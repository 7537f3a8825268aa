using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Mapster;
using MediatR;

namespace Loupe.Application.Runs.Queries.GetRun;

/// <summary>
/// A run the caller may see (404 otherwise: see <see cref="QueryRun.IsVisibleTo"/>) with its row
/// version, so clients that poll it get an <c>ETag</c> (and 304 until it changes). A queued run also
/// answers its place in the organization's queue, and a retrying one when its next attempt is due;
/// both are read here only, for the one run asked about, never when runs start or are listed.
/// </summary>
[Authorize]
public sealed record GetRunQuery(Guid Id) : IRequest<Versioned<RunDto>>;

internal sealed class GetRunQueryHandler(ICurrentUser caller, IReadStore store, IQueryExecutor executor, IJobsReadModel jobs, TypeAdapterConfig mapping)
    : IRequestHandler<GetRunQuery, Versioned<RunDto>>
{
    private const string Queued = "queued";
    private const string Retrying = "retrying";

    public async Task<Versioned<RunDto>> Handle(GetRunQuery request, CancellationToken cancellationToken)
    {
        var found = await executor.FirstOrDefaultAsync(
            store.Query<QueryRun>().VisibleTo(caller).Where(r => r.Id == request.Id).ProjectToType<Versioned<RunDto>>(mapping),
            cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Run", request.Id);
        var run = found.Value;
        if (run.Status == Queued)
        {
            // The organization's runs (row-level security keeps the count to its own, whoever ran
            // them) that wait and were queued before it: one partial index scan.
            var ahead = await executor.CountAsync(
                store.Query<QueryRun>().Where(r =>
                    (r.Status == RunStatus.Queued || r.Status == RunStatus.Retrying)
                    && r.QueuedAt < run.QueuedAt),
                cancellationToken).ConfigureAwait(false);
            var position = ahead + 1;

            // The row does not change as the queue moves: the tag does, so polling sees the new place.
            return new Versioned<RunDto>(run with { QueuePosition = position }, unchecked((found.RowVersion * 397) ^ (uint)position));
        }

        if (run.Status == Retrying)
        {
            var jobId = await executor.FirstOrDefaultAsync(
                store.Query<QueryRun>().Where(r => r.Id == request.Id).Select(r => r.JobId), cancellationToken).ConfigureAwait(false);
            var job = jobId is { } id ? await jobs.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;

            // Until the engine has rescheduled the job (just after the run was marked), its time is not yet the next attempt's.
            var due = job is { Summary.Status: JobStatus.Retrying or JobStatus.Queued } ? job.Summary.RunAt : (DateTimeOffset?)null;
            return found with { Value = run with { NextAttemptAt = due } };
        }

        return found;
    }
}
