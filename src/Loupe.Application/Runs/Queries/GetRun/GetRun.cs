using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Queries.GetRun;

[Authorize]
public sealed record GetRunQuery(Guid Id) : IRequest<RunDto>;

internal sealed class GetRunQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<GetRunQuery, RunDto>
{
    public async Task<RunDto> Handle(GetRunQuery request, CancellationToken cancellationToken)
    {
        var run = await executor.FirstOrDefaultAsync(store.Query<QueryRun>().Where(r => r.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Run", request.Id);
        return RunDto.From(run);
    }
}
