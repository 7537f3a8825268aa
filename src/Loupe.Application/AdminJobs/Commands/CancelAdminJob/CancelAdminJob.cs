using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.CancelAdminJob;

/// <summary>Cancels a queued job, or tells the node running a job to stop it (instance admins; audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record CancelAdminJobCommand(Guid Id) : IRequest<JobActionResultDto>;

internal sealed class CancelAdminJobCommandHandler(AdminJobActions actions) : IRequestHandler<CancelAdminJobCommand, JobActionResultDto>
{
    public async Task<JobActionResultDto> Handle(CancelAdminJobCommand request, CancellationToken cancellationToken)
    {
        var job = await actions.JobAsync(request.Id, cancellationToken).ConfigureAwait(false);
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
