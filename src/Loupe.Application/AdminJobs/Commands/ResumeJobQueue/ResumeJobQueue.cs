using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.ResumeJobQueue;

/// <summary>
/// Resumes a paused queue: the nodes that serve it are woken and claim its waiting jobs at once
/// (instance admins). Resuming a queue that is not paused changes nothing (not_paused) and is not
/// audited; a resume that took effect is.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ResumeJobQueueCommand(string Queue) : IRequest<JobQueueActionResultDto>;

internal sealed class ResumeJobQueueCommandHandler(IJobQueues queues, AdminJobActions actions) : IRequestHandler<ResumeJobQueueCommand, JobQueueActionResultDto>
{
    public async Task<JobQueueActionResultDto> Handle(ResumeJobQueueCommand request, CancellationToken cancellationToken)
    {
        var queue = AdminJobActions.QueueName(request.Queue);
        var resumed = await queues.ResumeAsync(queue, cancellationToken).ConfigureAwait(false);
        if (resumed)
        {
            await actions.AuditQueueAsync(AuditActions.JobQueueResumed, queue, cancellationToken).ConfigureAwait(false);
        }

        return new JobQueueActionResultDto(queue, resumed ? "resumed" : "not_paused", null);
    }
}
