using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.DeleteAdminJob;

/// <summary>Deletes a finished job (instance admins; audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record DeleteAdminJobCommand(Guid Id) : IRequest<Unit>;

internal sealed class DeleteAdminJobCommandHandler(IJobAdministration jobs, AdminJobActions actions) : IRequestHandler<DeleteAdminJobCommand, Unit>
{
    public async Task<Unit> Handle(DeleteAdminJobCommand request, CancellationToken cancellationToken)
    {
        // Deleting a finished run's job changes nothing of the run: no refusal for runs here.
        var job = await jobs.GetAsync(request.Id, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("Job", request.Id);
        switch (await jobs.DeleteAsync(request.Id, cancellationToken).ConfigureAwait(false))
        {
            case JobDeleteOutcome.Deleted:
                await actions.AuditAsync(AuditActions.JobDeleted, job, cancellationToken).ConfigureAwait(false);
                return Unit.Value;
            case JobDeleteOutcome.NotFinished:
                throw new DomainException(AdminJobErrors.NotFinished);
            default:
                throw new NotFoundException("Job", request.Id);
        }
    }
}
