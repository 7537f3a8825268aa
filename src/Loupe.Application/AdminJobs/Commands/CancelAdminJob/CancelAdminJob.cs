using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.CancelAdminJob;

/// <summary>
/// Cancels a queued job, or tells the node running a job to stop it (instance admins; audited). A query
/// run's job cancels its run first, as the organization's own cancel does (the run ends cancelled; a
/// running one is stopped by its node), so the run and its job end in step.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record CancelAdminJobCommand(Guid Id) : IRequest<JobActionResultDto>;

internal sealed class CancelAdminJobCommandHandler(AdminJobActions actions) : IRequestHandler<CancelAdminJobCommand, JobActionResultDto>
{
    public async Task<JobActionResultDto> Handle(CancelAdminJobCommand request, CancellationToken cancellationToken)
    {
        var job = await actions.JobAsync(request.Id, cancellationToken).ConfigureAwait(false);
        if (AdminJobActions.ServesRun(job) && job.Row.Summary.Status is not (JobStatus.Succeeded or JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled))
        {
            await actions.CancelRunAsync(job, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await actions.Jobs.CancelAsync(request.Id, cancellationToken).ConfigureAwait(false) switch
        {
            JobCancelOutcome.CancelledBeforeStart => "cancelled",
            JobCancelOutcome.CancellationRequested => "cancellation_requested",
            JobCancelOutcome.NotCancellable => throw new DomainException(AdminJobErrors.NotCancellable),
            _ => throw new NotFoundException("Job", request.Id),
        };
        await actions.AuditAsync(AuditActions.JobCancelled, job, cancellationToken).ConfigureAwait(false);
        return new JobActionResultDto(request.Id, outcome);
    }
}
