using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Commands.ArchiveSchedule;

/// <summary>
/// Archives (soft-deletes) a schedule (editor): it stops firing and leaves lists, kept whole with its
/// runs, restorable. Archiving it again changes nothing.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveScheduleCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Unit>;

internal sealed class ArchiveScheduleCommandHandler(IRepository<Schedule> schedules, ItemArchival archival)
    : IRequestHandler<ArchiveScheduleCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveScheduleCommand request, CancellationToken cancellationToken)
    {
        var schedule = await schedules.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        request.IfMatch?.Check(schedule.RowVersion);
        // Archived, the domain clears its next time: the same save stops it.
        await archival.ArchiveAsync(schedule, AuditActions.ScheduleArchived, new AuditTarget("schedule", schedule.Id), cancellationToken)
            .ConfigureAwait(false);
        return Unit.Value;
    }
}
