using Ardalis.Specification;
using Loupe.Domain.Queries;

namespace Loupe.Application.SavedQueries;

/// <summary>The saved queries (active and archived, or archived only) that run on a data source.</summary>
internal sealed class SavedQueriesOnDataSource : Specification<SavedQuery>
{
    public SavedQueriesOnDataSource(Guid dataSourceId, bool archivedOnly = false)
    {
        Query.Where(q => q.DataSourceId == dataSourceId);
        if (archivedOnly)
        {
            Query.Where(q => q.ArchivedAt != null);
        }
    }
}
