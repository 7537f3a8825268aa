using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.RestoreSavedQuery;

/// <summary>Brings an archived query back into lists; restoring an active query changes nothing.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreSavedQueryCommand(Guid Id, VersionPrecondition? IfMatch = null) : IRequest<Versioned<SavedQueryDto>>;

internal sealed class RestoreSavedQueryCommandHandler(
    IRepository<SavedQuery> queries, ItemArchival archival)
    : IRequestHandler<RestoreSavedQueryCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(RestoreSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var query = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        request.IfMatch?.Check(query.RowVersion);
        await archival.RestoreAsync(query, AuditActions.QueryRestored, new AuditTarget("query", query.Id), cancellationToken).ConfigureAwait(false);

        return new Versioned<SavedQueryDto>(SavedQueryDto.From(query), query.RowVersion);
    }
}
