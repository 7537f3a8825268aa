using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Schedules;
using Loupe.Domain.Audit;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.AdminJobs.Commands.AdminScheduleActions;

/// <summary>
/// Runs any organization's schedule now, through the same path as an editor's trigger (instance
/// admins; audited in the schedule's organization, the actor the admin). An archived schedule or query
/// is a 409; a full queue of that organization a 429.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record TriggerAdminScheduleCommand(Guid Id) : IRequest<RecurringJobActionResultDto>;

/// <summary>
/// Stops any organization's schedule, by the schedule's own rule (disabled: no next time; triggering by
/// hand still works). Already stopped: nothing changes. Instance admins; audited in the schedule's organization.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record PauseAdminScheduleCommand(Guid Id) : IRequest<RecurringJobActionResultDto>;

/// <summary>
/// Starts any organization's stopped or paused schedule again, by the schedule's own rule: it fires from
/// now on, its failure count starts anew. Already active: nothing changes. Instance admins; audited in
/// the schedule's organization.
/// </summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ResumeAdminScheduleCommand(Guid Id) : IRequest<RecurringJobActionResultDto>;

/// <summary>
/// What an admin's action on a schedule does, inside the schedule's own organization (<see
/// cref="IInstanceAdminOrganizationWork"/>): the schedule is read and saved under that organization's
/// row-level security, by its own rules, and the audit event lands in its trail with the admin as actor.
/// </summary>
internal sealed class AdminScheduleWork(
    IRepository<Schedule> schedules, ScheduleTrigger trigger, IFireTimes times, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
{
    public const string Target = "schedule";

    /// <summary>What each audit event of an admin's action on a schedule records beside it.</summary>
    public static readonly IReadOnlyDictionary<string, string> AuditDetails =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["by"] = "instance_admin" };

    public async Task<RecurringJobActionResultDto> TriggerAsync(Guid id, CancellationToken ct)
    {
        var run = await trigger.TriggerAsync(id, AuditDetails, ct).ConfigureAwait(false);
        return new RecurringJobActionResultDto(Target, id.ToString(), "triggered", RunId: run.Id);
    }

    public async Task<RecurringJobActionResultDto> PauseAsync(Guid id, CancellationToken ct)
    {
        var schedule = await schedules.FindAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException("Schedule", id);
        var wasEnabled = schedule.Enabled;
        schedule.Disable(clock.GetUtcNow());
        if (!wasEnabled)
        {
            return new RecurringJobActionResultDto(Target, id.ToString(), "already_paused");
        }

        audit.Record(AuditActions.ScheduleDisabledByAdmin, new AuditTarget(Target, schedule.Id), details: AuditDetails);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
        return new RecurringJobActionResultDto(Target, id.ToString(), "paused");
    }

    public async Task<RecurringJobActionResultDto> ResumeAsync(Guid id, CancellationToken ct)
    {
        var schedule = await schedules.FindAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException("Schedule", id);
        var wasEnabled = schedule.Enabled;
        schedule.Enable(times, clock.GetUtcNow());
        if (wasEnabled)
        {
            return new RecurringJobActionResultDto(Target, id.ToString(), "already_active");
        }

        audit.Record(AuditActions.ScheduleEnabledByAdmin, new AuditTarget(Target, schedule.Id), details: AuditDetails);
        await unitOfWork.SaveChangesAsync(ct).ConfigureAwait(false);
        return new RecurringJobActionResultDto(Target, id.ToString(), "resumed");
    }
}

/// <summary>Finds a schedule's organization (404 when no schedule has this id) and runs an admin's action on it there.</summary>
internal sealed class AdminScheduleScope(IRecurringJobs recurring, IInstanceAdminOrganizationWork organizations)
{
    public async Task<RecurringJobActionResultDto> InScheduleOrganizationAsync(
        Guid scheduleId, Func<AdminScheduleWork, Task<RecurringJobActionResultDto>> action, CancellationToken ct)
    {
        var organization = await recurring.ScheduleOrganizationAsync(scheduleId, ct).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", scheduleId);
        return await organizations.InOrganizationAsync(organization, action).ConfigureAwait(false);
    }
}

internal sealed class TriggerAdminScheduleCommandHandler(AdminScheduleScope actions)
    : IRequestHandler<TriggerAdminScheduleCommand, RecurringJobActionResultDto>
{
    public Task<RecurringJobActionResultDto> Handle(TriggerAdminScheduleCommand request, CancellationToken cancellationToken) =>
        actions.InScheduleOrganizationAsync(request.Id, work => work.TriggerAsync(request.Id, cancellationToken), cancellationToken);
}

internal sealed class PauseAdminScheduleCommandHandler(AdminScheduleScope actions)
    : IRequestHandler<PauseAdminScheduleCommand, RecurringJobActionResultDto>
{
    public Task<RecurringJobActionResultDto> Handle(PauseAdminScheduleCommand request, CancellationToken cancellationToken) =>
        actions.InScheduleOrganizationAsync(request.Id, work => work.PauseAsync(request.Id, cancellationToken), cancellationToken);
}

internal sealed class ResumeAdminScheduleCommandHandler(AdminScheduleScope actions)
    : IRequestHandler<ResumeAdminScheduleCommand, RecurringJobActionResultDto>
{
    public Task<RecurringJobActionResultDto> Handle(ResumeAdminScheduleCommand request, CancellationToken cancellationToken) =>
        actions.InScheduleOrganizationAsync(request.Id, work => work.ResumeAsync(request.Id, cancellationToken), cancellationToken);
}
