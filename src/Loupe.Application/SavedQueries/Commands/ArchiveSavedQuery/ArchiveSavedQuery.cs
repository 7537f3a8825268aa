using Loupe.Application.Common.Archiving;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Dashboards;
using Loupe.Domain.Audit;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.ArchiveSavedQuery;

/// <summary>
/// Archives (soft-deletes) a query: hidden from lists, kept with its versions, restorable. Archiving it
/// again changes nothing. Refused while active dashboards show a visualization of it, unless
/// <paramref name="Force"/> (<see cref="DashboardUse"/>).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ArchiveSavedQueryCommand(Guid Id, VersionPrecondition? IfMatch = null, bool Force = false) : IRequest<Unit>;

internal sealed class ArchiveSavedQueryCommandHandler(
    IRepository<SavedQuery> queries, IDashboardUsage dashboards, ItemArchival archival)
    : IRequestHandler<ArchiveSavedQueryCommand, Unit>
{
    public async Task<Unit> Handle(ArchiveSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var query = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        request.IfMatch?.Check(query.RowVersion);
        if (query.IsArchived)
        {
            return Unit.Value;
        }

        DashboardUse.EnsureMayArchive(
            SavedQueryErrors.InUse, await dashboards.ShowingQueryAsync(query.Id, cancellationToken).ConfigureAwait(false), request.Force);
        await archival.ArchiveAsync(query, AuditActions.QueryArchived, new AuditTarget("query", query.Id), cancellationToken).ConfigureAwait(false);

        return Unit.Value;
    }
}
