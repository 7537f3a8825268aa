using Loupe.Domain.Common;

namespace Loupe.Application.AdminJobs;

/// <summary>Why an instance admin's action on a recurring job was refused (system jobs belong to the job engine, not the domain).</summary>
public static class RecurringJobErrors
{
    public static readonly DomainError AlreadyQueued = DomainError.Conflict(
        "system_job.already_queued", "This system job is already queued or running; it runs one at a time. Wait until it has finished.");

    public static readonly DomainError UnknownSystemJob = DomainError.NotFound(
        "system_job.not_found", "No system job of this instance has this kind.");
}
