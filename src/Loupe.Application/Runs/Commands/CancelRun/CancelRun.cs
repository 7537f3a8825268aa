using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Commands.CancelRun;

/// <summary>
/// Cancels a run: a queued one at once; a running one is marked cancelled and its worker is told to
/// stop, which cancels the query in the database. A finished run cannot be cancelled (409).
/// </summary>
[Authorize]
public sealed record CancelRunCommand(Guid Id) : IRequest<RunDto>;

internal sealed class CancelRunCommandHandler(
    IRepository<QueryRun> runs,
    IJobScheduler jobs,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CancelRunCommand, RunDto>
{
    public async Task<RunDto> Handle(CancelRunCommand request, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Run", request.Id);
        run.Cancel(clock.GetUtcNow());
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException conflict)
        {
            throw new ConflictException("The run changed while it was being cancelled (it may have just finished); reload it.", conflict);
        }

        if (run.JobId is { } jobId)
        {
            await jobs.CancelAsync(jobId, cancellationToken).ConfigureAwait(false);
        }

        return RunDto.From(run);
    }
}
