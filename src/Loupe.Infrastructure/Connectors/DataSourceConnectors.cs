using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Connectors;

/// <summary>The registered connectors by type; a type without one is a configuration error found at the first use.</summary>
internal sealed class DataSourceConnectors : IDataSourceConnectors
{
    private readonly Dictionary<DataSourceType, IDataSourceConnector> _byType;

    public DataSourceConnectors(IEnumerable<IDataSourceConnector> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        _byType = connectors.ToDictionary(connector => connector.Type);
        All = [.. _byType.Values.OrderBy(connector => connector.Type)];
    }

    public IReadOnlyList<IDataSourceConnector> All { get; }

    public IDataSourceConnector ConnectorFor(DataSourceType type) =>
        _byType.TryGetValue(type, out var connector)
            ? connector
            : throw new InvalidOperationException($"No connector is registered for {type} data sources.");

    public async ValueTask ForgetAsync(Guid dataSourceId)
    {
        foreach (var connector in _byType.Values)
        {
            await connector.ForgetAsync(dataSourceId).ConfigureAwait(false);
        }
    }
}
