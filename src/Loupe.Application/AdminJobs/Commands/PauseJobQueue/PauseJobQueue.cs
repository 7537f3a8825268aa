using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.PauseJobQueue;

/// <summary>
/// Pauses a queue: no node claims its jobs until it is resumed; jobs already running go on (instance
/// admins). Pausing a paused queue changes nothing (already_paused, its first pause time kept) and is
/// not audited; a pause that took effect is.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record PauseJobQueueCommand(string Queue) : IRequest<JobQueueActionResultDto>;

internal sealed class PauseJobQueueCommandHandler(IJobQueues queues, AdminJobActions actions) : IRequestHandler<PauseJobQueueCommand, JobQueueActionResultDto>
{
    public async Task<JobQueueActionResultDto> Handle(PauseJobQueueCommand request, CancellationToken cancellationToken)
    {
        var queue = AdminJobActions.QueueName(request.Queue);
        var paused = await queues.PauseAsync(queue, cancellationToken).ConfigureAwait(false);
        if (paused)
        {
            await actions.AuditQueueAsync(AuditActions.JobQueuePaused, queue, cancellationToken).ConfigureAwait(false);
        }

        var since = (await queues.PausedAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Queue == queue)?.PausedAt;
        return new JobQueueActionResultDto(queue, paused ? "paused" : "already_paused", since);
    }
}
