using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.SystemJobActions;

/// <summary>
/// Queues a system job now, as its timer would, paused or not (instance admins; audited in the admin's
/// organization). One of its kind already waiting or running: 409 <c>system_job.already_queued</c>.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record TriggerSystemJobCommand(string Kind) : IRequest<RecurringJobActionResultDto>;

/// <summary>Pauses a system job: no node queues it on its timer until it is resumed (instance admins; audited). Already paused: nothing changes.</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record PauseSystemJobCommand(string Kind) : IRequest<RecurringJobActionResultDto>;

/// <summary>Resumes a paused system job: the nodes queue it again at their next tick (instance admins; audited). Not paused: nothing changes.</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ResumeSystemJobCommand(string Kind) : IRequest<RecurringJobActionResultDto>;

/// <summary>The steps the system job actions share: find the job by its kind (404 when unknown), audit in the admin's organization.</summary>
internal sealed class SystemJobActions(IRecurringJobs recurring, IAuditTrail audit, IUnitOfWork unitOfWork)
{
    public const string Target = "system_job";

    public IRecurringJobs Recurring => recurring;

    public SystemJobDefinition Find(string kind) =>
        recurring.SystemJobs.FirstOrDefault(job => string.Equals(job.Kind, kind, StringComparison.Ordinal))
        ?? throw new DomainException(RecurringJobErrors.UnknownSystemJob);

    public async Task AuditAsync(string action, SystemJobDefinition job, Guid? jobId, CancellationToken ct)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = job.Kind };
        audit.Record(action, jobId is { } id ? new AuditTarget("job", id) : null, details: details);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
    }
}

internal sealed class TriggerSystemJobCommandHandler(SystemJobActions actions) : IRequestHandler<TriggerSystemJobCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(TriggerSystemJobCommand request, CancellationToken cancellationToken)
    {
        var job = actions.Find(request.Kind);
        var queued = await actions.Recurring.EnqueueAsync(job, cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(RecurringJobErrors.AlreadyQueued);
        await actions.AuditAsync(AuditActions.SystemJobTriggered, job, queued, cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(SystemJobActions.Target, job.Kind, "triggered", JobId: queued);
    }
}

internal sealed class PauseSystemJobCommandHandler(SystemJobActions actions, ICurrentUser caller) : IRequestHandler<PauseSystemJobCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(PauseSystemJobCommand request, CancellationToken cancellationToken)
    {
        var job = actions.Find(request.Kind);
        if (!await actions.Recurring.PauseAsync(job.Kind, caller.UserId, cancellationToken).ConfigureAwait(false))
        {
            return new RecurringJobActionResultDto(SystemJobActions.Target, job.Kind, "already_paused");
        }

        await actions.AuditAsync(AuditActions.SystemJobPaused, job, null, cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(SystemJobActions.Target, job.Kind, "paused");
    }
}

internal sealed class ResumeSystemJobCommandHandler(SystemJobActions actions) : IRequestHandler<ResumeSystemJobCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(ResumeSystemJobCommand request, CancellationToken cancellationToken)
    {
        var job = actions.Find(request.Kind);
        if (!await actions.Recurring.ResumeAsync(job.Kind, cancellationToken).ConfigureAwait(false))
        {
            return new RecurringJobActionResultDto(SystemJobActions.Target, job.Kind, "already_active");
        }

        await actions.AuditAsync(AuditActions.SystemJobResumed, job, null, cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(SystemJobActions.Target, job.Kind, "resumed");
    }
}
