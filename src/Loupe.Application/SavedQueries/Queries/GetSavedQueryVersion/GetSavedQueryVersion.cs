using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.SavedQueries.Queries.GetSavedQueryVersion;

/// <summary>One kept version of a query's SQL and parameters, by its number (archived queries too); 404 when there is none.</summary>
[Authorize]
public sealed record GetSavedQueryVersionQuery(Guid Id, int Version) : IRequest<SavedQueryVersionDto>;

internal sealed class GetSavedQueryVersionQueryHandler(IReadStore store, IQueryExecutor executor) : IRequestHandler<GetSavedQueryVersionQuery, SavedQueryVersionDto>
{
    public async Task<SavedQueryVersionDto> Handle(GetSavedQueryVersionQuery request, CancellationToken cancellationToken) =>
        SavedQueryVersionDto.From(await SavedQueryVersions.FindAsync(store, executor, request.Id, request.Version, cancellationToken).ConfigureAwait(false));
}
