namespace Loupe.Application.Common.Connectors;

/// <summary>Runs a query and keeps its whole (limited) result in memory.</summary>
public static class DataSourceConnectorExtensions
{
    public static async Task<QueryResult> ExecuteAsync(
        this IDataSourceConnector connector, ConnectionTarget target, QueryRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var collector = new RowCollector();
        var outcome = await connector.ExecuteAsync(target, request, collector, ct).ConfigureAwait(false);
        return collector.ToResult(outcome);
    }
}
