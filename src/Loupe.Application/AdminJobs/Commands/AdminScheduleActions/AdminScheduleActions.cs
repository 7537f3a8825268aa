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
/// The steps every admin action on a schedule shares: find the schedule's organization (404 when no
/// schedule has this id) and enter it, so that the schedule is read and saved under that
/// organization's row-level security, as its own members' changes are.
/// </summary>
internal sealed class AdminScheduleScope(IRecurringJobs recurring, ITenantScope tenant)
{
    public const string Target = "schedule";

    /// <summary>What each audit event of an admin's action on a schedule records beside it.</summary>
    public static readonly IReadOnlyDictionary<string, string> AuditDetails =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["by"] = "instance_admin" };

    public async Task EnterAsync(Guid scheduleId, CancellationToken ct)
    {
        var organization = await recurring.ScheduleOrganizationAsync(scheduleId, ct).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", scheduleId);
        tenant.EnterAsInstanceAdmin(organization);
    }
}

internal sealed class TriggerAdminScheduleCommandHandler(AdminScheduleScope scope, ScheduleTrigger trigger)
    : IRequestHandler<TriggerAdminScheduleCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(TriggerAdminScheduleCommand request, CancellationToken cancellationToken)
    {
        await scope.EnterAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var run = await trigger.TriggerAsync(request.Id, AdminScheduleScope.AuditDetails, cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(AdminScheduleScope.Target, request.Id.ToString(), "triggered", RunId: run.Id);
    }
}

internal sealed class PauseAdminScheduleCommandHandler(
    AdminScheduleScope scope, IRepository<Schedule> schedules, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<PauseAdminScheduleCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(PauseAdminScheduleCommand request, CancellationToken cancellationToken)
    {
        await scope.EnterAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var schedule = await schedules.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        var wasEnabled = schedule.Enabled;
        schedule.Disable(clock.GetUtcNow());
        if (!wasEnabled)
        {
            return new RecurringJobActionResultDto(AdminScheduleScope.Target, request.Id.ToString(), "already_paused");
        }

        audit.Record(AuditActions.ScheduleDisabledByAdmin, new AuditTarget(AdminScheduleScope.Target, schedule.Id), details: AdminScheduleScope.AuditDetails);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(AdminScheduleScope.Target, request.Id.ToString(), "paused");
    }
}

internal sealed class ResumeAdminScheduleCommandHandler(
    AdminScheduleScope scope, IRepository<Schedule> schedules, IFireTimes times, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResumeAdminScheduleCommand, RecurringJobActionResultDto>
{
    public async Task<RecurringJobActionResultDto> Handle(ResumeAdminScheduleCommand request, CancellationToken cancellationToken)
    {
        await scope.EnterAsync(request.Id, cancellationToken).ConfigureAwait(false);
        var schedule = await schedules.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        var wasEnabled = schedule.Enabled;
        schedule.Enable(times, clock.GetUtcNow());
        if (wasEnabled)
        {
            return new RecurringJobActionResultDto(AdminScheduleScope.Target, request.Id.ToString(), "already_active");
        }

        audit.Record(AuditActions.ScheduleEnabledByAdmin, new AuditTarget(AdminScheduleScope.Target, schedule.Id), details: AdminScheduleScope.AuditDetails);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new RecurringJobActionResultDto(AdminScheduleScope.Target, request.Id.ToString(), "resumed");
    }
}
