namespace Loupe.Application.Common.Results;

/// <summary>
/// The columns of saved queries' latest results, for checking what settings name against them. A
/// query's latest result is that of its most recently finished run that succeeded and whose stored
/// result is still kept (not expired); a query without one has none. Columns are named as the data
/// source returned them, in their order. Reads in the current organization only (row-level security).
/// </summary>
public interface ILatestResultColumns
{
    /// <summary>The columns of each query's latest result, by query id; queries without one are left out.</summary>
    Task<IReadOnlyDictionary<Guid, IReadOnlyList<string>>> OfQueriesAsync(IReadOnlyCollection<Guid> queryIds, CancellationToken ct);
}
