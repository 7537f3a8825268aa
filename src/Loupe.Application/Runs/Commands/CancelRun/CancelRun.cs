using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Mapster;
using MediatR;

namespace Loupe.Application.Runs.Commands.CancelRun;

/// <summary>
/// Cancels a run: a queued one at once; a running one is marked cancelled and its worker is told to
/// stop, which cancels the query in the database. A finished run cannot be cancelled (409); only the
/// person who started it, or an admin, may cancel it (403), and another person's ad-hoc run is not
/// found (404) for anyone but an admin.
/// </summary>
[Authorize]
public sealed record CancelRunCommand(Guid Id) : IRequest<RunDto>;

internal sealed class CancelRunCommandHandler(
    ICurrentUser currentUser,
    IRepository<QueryRun> runs,
    IJobScheduler jobs,
    IUnitOfWork unitOfWork,
    TypeAdapterConfig mapping,
    TimeProvider clock) : IRequestHandler<CancelRunCommand, RunDto>
{
    public async Task<RunDto> Handle(CancelRunCommand request, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(request.Id, cancellationToken).ConfigureAwait(false);
        if (run is null || !currentUser.MaySee(run))
        {
            throw new NotFoundException("Run", request.Id);
        }

        // The worker may save the run (starting an attempt) at the same moment: read it again and
        // cancel what is there now; a finished run answers 409 from the domain.
        await unitOfWork.SaveWithRetryAsync(
            () => run.CancelBy(currentUser.UserId!.Value, currentUser.Role!.Value, clock.GetUtcNow()),
            async () => await runs.ReloadAsync(run, cancellationToken).ConfigureAwait(false) ? true : throw new NotFoundException("Run", request.Id),
            cancellationToken).ConfigureAwait(false);
        RunMetrics.Finished(run.Status);

        if (run.JobId is { } jobId)
        {
            await jobs.CancelAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        return run.Adapt<RunDto>(mapping);
    }
}
