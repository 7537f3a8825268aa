using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.RetryAdminJob;

/// <summary>
/// Puts a failed, dead-lettered or cancelled job back in its queue with its attempts reset (instance
/// admins; audited). A query run's job is retried only while its run has not finished (the run then
/// starts again with a new attempt); a finished run is never run again (409 <c>job.run_finished</c>).
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record RetryAdminJobCommand(Guid Id) : IRequest<JobActionResultDto>;

internal sealed class RetryAdminJobCommandHandler(AdminJobActions actions) : IRequestHandler<RetryAdminJobCommand, JobActionResultDto>
{
    public async Task<JobActionResultDto> Handle(RetryAdminJobCommand request, CancellationToken cancellationToken)
    {
        var job = await actions.JobAsync(request.Id, cancellationToken).ConfigureAwait(false);
        if (AdminJobActions.ServesRun(job) && job.Row.Summary.Status is JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled)
        {
            await actions.EnsureRunUnfinishedAsync(job, cancellationToken).ConfigureAwait(false);
        }

        switch (await actions.Jobs.RetryAsync(request.Id, cancellationToken).ConfigureAwait(false))
        {
            case JobRetryOutcome.Retried:
                await actions.AuditAsync(AuditActions.JobRetried, job, cancellationToken).ConfigureAwait(false);
                return new JobActionResultDto(request.Id, "retried");
            case JobRetryOutcome.Duplicate:
                throw new DomainException(AdminJobErrors.DuplicateQueued);
            case JobRetryOutcome.NotRetryable:
                throw new DomainException(AdminJobErrors.NotRetryable);
            default:
                throw new NotFoundException("Job", request.Id);
        }
    }
}
