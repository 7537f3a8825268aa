using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands;

/// <summary>Puts a failed, dead-lettered or cancelled job back in its queue with its attempts reset (instance admins; audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record RetryAdminJobCommand(Guid Id) : IRequest<JobActionResultDto>;

/// <summary>Retries each job of a selection; answers what happened to each, in the order given (instance admins; each retry audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record RetryAdminJobsCommand(IReadOnlyList<Guid> Ids) : IRequest<IReadOnlyList<JobActionResultDto>>;

/// <summary>Cancels a queued job, or tells the node running a job to stop it (instance admins; audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record CancelAdminJobCommand(Guid Id) : IRequest<JobActionResultDto>;

/// <summary>Deletes a finished job (instance admins; audited).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record DeleteAdminJobCommand(Guid Id) : IRequest<Unit>;

internal sealed class RetryAdminJobsCommandValidator : AbstractValidator<RetryAdminJobsCommand>
{
    public RetryAdminJobsCommandValidator()
    {
        RuleFor(c => c.Ids).NotEmpty().WithMessage("ids: at least one job id.").OverridePropertyName("ids");
        RuleFor(c => c.Ids.Count).LessThanOrEqualTo(AdminJobErrors.RetrySelectionLimit)
            .WithMessage(AdminJobErrors.SelectionTooLarge.Message).When(c => c.Ids is not null).OverridePropertyName("ids");
    }
}

/// <summary>The actions' shared steps: find the job, refuse a run's job, act, audit in the admin's organization.</summary>
internal sealed class AdminJobActions(IJobAdministration jobs, IAuditTrail audit, IUnitOfWork unitOfWork)
{
    /// <summary>The job, or 404; a job that runs a query is refused (its run has its own cancel and run-again).</summary>
    public async Task<AdminJobRecord> JobAsync(Guid id, CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException("Job", id);
        return job.Row.Summary.Kind == Runs.RunQueryJobHandler.JobKind ? throw new DomainException(AdminJobErrors.ServesRun) : job;
    }

    public async Task AuditAsync(string action, AdminJobRecord job, CancellationToken ct)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = job.Row.Summary.Kind };
        if (job.Row.Summary.OrganizationId is { } organization)
        {
            details["organization_id"] = organization.ToString();
        }

        audit.Record(action, new AuditTarget("job", job.Row.Summary.Id), details: details);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    public IJobAdministration Jobs => jobs;
}

internal sealed class RetryAdminJobCommandHandler(AdminJobActions actions) : IRequestHandler<RetryAdminJobCommand, JobActionResultDto>
{
    public async Task<JobActionResultDto> Handle(RetryAdminJobCommand request, CancellationToken cancellationToken)
    {
        var job = await actions.JobAsync(request.Id, cancellationToken).ConfigureAwait(false);
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

internal sealed class RetryAdminJobsCommandHandler(IMediator mediator) : IRequestHandler<RetryAdminJobsCommand, IReadOnlyList<JobActionResultDto>>
{
    public async Task<IReadOnlyList<JobActionResultDto>> Handle(RetryAdminJobsCommand request, CancellationToken cancellationToken)
    {
        var results = new List<JobActionResultDto>(request.Ids.Count);
        foreach (var id in request.Ids.Distinct())
        {
            try
            {
                results.Add(await mediator.Send(new RetryAdminJobCommand(id), cancellationToken).ConfigureAwait(false));
            }
            catch (NotFoundException)
            {
                results.Add(new JobActionResultDto(id, "not_found"));
            }
            catch (DomainException refused)
            {
                results.Add(new JobActionResultDto(id, refused.Error.Code));
            }
        }

        return results;
    }
}

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
