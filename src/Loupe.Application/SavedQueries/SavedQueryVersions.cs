using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Queries;

namespace Loupe.Application.SavedQueries;

/// <summary>Reads one kept version of a query.</summary>
internal static class SavedQueryVersions
{
    /// <exception cref="NotFoundException">The query has no such version (or the query is not the caller's organization's).</exception>
    public static async Task<SavedQueryVersion> FindAsync(IReadStore store, IQueryExecutor executor, Guid queryId, int number, CancellationToken ct) =>
        await executor.FirstOrDefaultAsync(store.Query<SavedQueryVersion>().Where(v => v.QueryId == queryId && v.Number == number), ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"Query {queryId} has no version {number}.");
}
