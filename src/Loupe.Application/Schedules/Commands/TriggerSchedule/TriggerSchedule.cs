using Loupe.Application.Common.Security;
using Loupe.Application.Runs;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Schedules.Commands.TriggerSchedule;

/// <summary>
/// Runs a schedule now (editor), with its values, whether it is enabled or not; its next time does
/// not move. The run is an ordinary run of the query that names the schedule, becomes the schedule's
/// last run (saved together) and counts for its failures like a fired one. An archived schedule or
/// query is a 409; a full queue a 429, as for any run someone asks for.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record TriggerScheduleCommand(Guid Id) : IRequest<RunDto>;

internal sealed class TriggerScheduleCommandHandler(ScheduleTrigger trigger) : IRequestHandler<TriggerScheduleCommand, RunDto>
{
    public Task<RunDto> Handle(TriggerScheduleCommand request, CancellationToken cancellationToken) =>
        trigger.TriggerAsync(request.Id, details: null, cancellationToken);
}
