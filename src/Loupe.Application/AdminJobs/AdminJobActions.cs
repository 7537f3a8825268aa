using System.Text.Json;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.Runs;

namespace Loupe.Application.AdminJobs;

/// <summary>The actions' shared steps: find the job, keep a query run in step with its job, act, audit in the admin's organization.</summary>
internal sealed class AdminJobActions(IJobAdministration jobs, IAuditTrail audit, IUnitOfWork unitOfWork, IInstanceAdminOrganizationWork organizations)
{
    /// <summary>The job, or 404.</summary>
    public async Task<AdminJobRecord> JobAsync(Guid id, CancellationToken ct) =>
        await jobs.GetAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException("Job", id);

    /// <summary>Whether the job runs a query (<c>query.run</c>): its run follows what is done to it.</summary>
    public static bool ServesRun(AdminJobRecord job) => job.Row.Summary.Kind == Runs.RunQueryJobHandler.JobKind;

    /// <summary>
    /// Cancels the run a query job serves, in the run's organization, as the organization's own cancel
    /// does; a run that has finished (or is gone) is left as it is.
    /// </summary>
    public Task CancelRunAsync(AdminJobRecord job, CancellationToken ct) =>
        RunOf(job) is ({ } organization, { } run)
            ? organizations.InOrganizationAsync<AdminRunChanges, RunStatus?>(organization, changes => changes.CancelAsync(run, ct))
            : Task.CompletedTask;

    /// <summary>
    /// Refuses to retry a query job whose run has finished or is gone (409 <c>job.run_finished</c>): a
    /// finished run never runs again. An unfinished run (its job failed or was dead-lettered before the
    /// run could record an end) is started again by the retried job, with a new attempt.
    /// </summary>
    public async Task EnsureRunUnfinishedAsync(AdminJobRecord job, CancellationToken ct)
    {
        var status = RunOf(job) is ({ } organization, { } run)
            ? await organizations.InOrganizationAsync<AdminRunChanges, RunStatus?>(organization, changes => changes.StatusAsync(run, ct)).ConfigureAwait(false)
            : null;
        if (status is not { } current || current.IsFinished())
        {
            throw new DomainException(AdminJobErrors.RunFinished);
        }
    }

    /// <summary>A queue name from a request, or 400 <c>job.invalid_queue</c>.</summary>
    public static string QueueName(string? queue) =>
        JobQueueNames.IsValid(queue) ? queue! : throw new DomainException(AdminJobErrors.InvalidQueue);

    public async Task AuditQueueAsync(string action, string queue, CancellationToken ct)
    {
        audit.Record(action, details: new Dictionary<string, string>(StringComparer.Ordinal) { ["queue"] = queue });
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
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

    /// <summary>The organization and run a query job's payload names; nulls when it names none.</summary>
    private static (Guid? Organization, Guid? Run) RunOf(AdminJobRecord job)
    {
        Guid? run = null;
        try
        {
            run = JsonSerializer.Deserialize<Runs.RunQueryJobHandler.Payload>(job.Payload)?.RunId;
        }
        catch (JsonException)
        {
        }

        return (job.Row.Summary.OrganizationId, run is { } id && id != Guid.Empty ? id : null);
    }
}
