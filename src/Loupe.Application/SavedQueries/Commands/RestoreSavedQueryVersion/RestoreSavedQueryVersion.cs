using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.RestoreSavedQueryVersion;

/// <summary>
/// Makes an earlier version's SQL and parameters current again as a new version (editors; the
/// history keeps every version). Restoring the current content changes nothing. An archived query
/// must be restored first (409 <c>query.archived</c>); <c>If-Match</c> answers 412 when stale.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record RestoreSavedQueryVersionCommand(Guid Id, int Version, VersionPrecondition? IfMatch = null) : IRequest<Versioned<SavedQueryDto>>;

internal sealed class RestoreSavedQueryVersionCommandHandler(
    ICurrentUser currentUser, IRepository<SavedQuery> queries, IReadStore store, IQueryExecutor executor, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RestoreSavedQueryVersionCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(RestoreSavedQueryVersionCommand request, CancellationToken cancellationToken)
    {
        var query = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        request.IfMatch?.Check(query.RowVersion);
        query.EnsureActive();

        var version = await SavedQueryVersions.FindAsync(store, executor, query.Id, request.Version, cancellationToken).ConfigureAwait(false);
        if (query.RestoreVersion(version, currentUser.UserId, clock.GetUtcNow()))
        {
            audit.Record(AuditActions.QueryUpdated, new AuditTarget("query", query.Id));
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Versioned<SavedQueryDto>(SavedQueryDto.From(query), query.RowVersion);
    }
}
