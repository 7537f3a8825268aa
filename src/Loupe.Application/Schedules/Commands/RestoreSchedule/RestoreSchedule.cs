using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Commands.RestoreSchedule;

/// <summary>
/// Brings an archived schedule back (editor): if it is enabled it fires again from now (the times
/// it was archived through are not caught up); restoring an active one changes nothing.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreScheduleCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<ScheduleDto>>;

internal sealed class RestoreScheduleCommandHandler(
    IRepository<Schedule> schedules, IFireTimes times, ItemArchival archival)
    : IRequestHandler<RestoreScheduleCommand, Versioned<ScheduleDto>>
{
    public async Task<Versioned<ScheduleDto>> Handle(RestoreScheduleCommand request, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        request.IfMatch?.Check(schedule.RowVersion);
        // Active again, the domain sets its next time from now: the same save starts it.
        await archival.RestoreAsync(
            now => schedule.Restore(times, now), AuditActions.ScheduleRestored, new AuditTarget("schedule", schedule.Id), cancellationToken)
            .ConfigureAwait(false);
        return new Versioned<ScheduleDto>(ScheduleDto.From(schedule), schedule.RowVersion);
    }
}
