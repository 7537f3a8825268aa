using Ardalis.Specification;
using Loupe.Domain.Alerts;

namespace Loupe.Application.Alerts;

/// <summary>The alerts a query's runs are evaluated for: not archived, oldest first (a stable order for the events).</summary>
internal sealed class ActiveAlertsOfQuery : Specification<Alert>
{
    public ActiveAlertsOfQuery(Guid queryId)
    {
        Query.Where(a => a.QueryId == queryId && a.ArchivedAt == null).OrderBy(a => a.Id);
    }
}
