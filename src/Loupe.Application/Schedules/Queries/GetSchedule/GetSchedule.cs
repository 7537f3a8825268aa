using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Schedules;
using MediatR;

namespace Loupe.Application.Schedules.Queries.GetSchedule;

/// <summary>A schedule, archived or not (everyone in the organization reads schedules).</summary>
[Authorize]
public sealed record GetScheduleQuery(Guid Id) : IRequest<Versioned<ScheduleDto>>;

internal sealed class GetScheduleQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<GetScheduleQuery, Versioned<ScheduleDto>>
{
    public async Task<Versioned<ScheduleDto>> Handle(GetScheduleQuery request, CancellationToken cancellationToken)
    {
        var schedule = await executor.FirstOrDefaultAsync(store.Query<Schedule>().Where(s => s.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Schedule", request.Id);
        return new Versioned<ScheduleDto>(ScheduleDto.From(schedule), schedule.RowVersion);
    }
}
