using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;

namespace Loupe.Application.AdminJobs;

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
