using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Queries.GetSavedQuery;

/// <summary>A saved query, archived or not, with its SQL and parameters.</summary>
[Authorize]
public sealed record GetSavedQueryQuery(Guid Id) : IRequest<Versioned<SavedQueryDto>>;

internal sealed class GetSavedQueryQueryHandler(IReadStore store, IQueryExecutor executor)
    : IRequestHandler<GetSavedQueryQuery, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(GetSavedQueryQuery request, CancellationToken cancellationToken)
    {
        var query = await executor.FirstOrDefaultAsync(store.Query<SavedQuery>().Where(q => q.Id == request.Id), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        return new Versioned<SavedQueryDto>(SavedQueryDto.From(query), query.RowVersion);
    }
}
