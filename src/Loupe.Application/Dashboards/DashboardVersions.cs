using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards;

/// <summary>Reads one kept version of a dashboard.</summary>
internal static class DashboardVersions
{
    /// <exception cref="NotFoundException">The dashboard has no such version (or is not the caller's organization's).</exception>
    public static async Task<DashboardVersion> FindAsync(IReadStore store, IQueryExecutor executor, Guid dashboardId, int number, CancellationToken ct) =>
        await executor.FirstOrDefaultAsync(store.Query<DashboardVersion>().Where(v => v.DashboardId == dashboardId && v.Number == number), ct).ConfigureAwait(false)
        ?? throw new NotFoundException($"Dashboard {dashboardId} has no version {number}.");
}
