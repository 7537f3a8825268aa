using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Everything Loupe does with one kind of database, behind one port (ADR 0020): read a pasted
/// connection string, test a connection, read the schema and run a query under the execution guard
/// (the execution guard: read-only, time- and size-limited, always rolled back, whatever the SQL safety scanner
/// decided). Adding a database kind means adding a connector; no handler changes.
/// </summary>
public interface IDataSourceConnector
{
    DataSourceType Type { get; }

    /// <summary>The settings it takes (<c>settings</c> of a data source), in the order a form shows them.</summary>
    IReadOnlyList<ConnectorSetting> Settings { get; }

    /// <summary>Settings and password from a pasted connection string, or field errors naming what is wrong.</summary>
    ParsedConnectionString Parse(string? connectionString);

    /// <summary>Connects and asks for the server version.</summary>
    /// <exception cref="QueryExecutionException">The connection failed; the message carries no secret.</exception>
    Task<ConnectionCheck> TestAsync(ConnectionTarget target, CancellationToken ct);

    /// <summary>Schemas, tables and views, and their columns with types.</summary>
    /// <exception cref="QueryExecutionException">The connection or the catalog query failed.</exception>
    Task<DatabaseSchema> ReadSchemaAsync(ConnectionTarget target, CancellationToken ct);

    /// <summary>Runs the query under the guard and hands its columns, then its rows, to <paramref name="sink"/>.</summary>
    /// <exception cref="QueryExecutionException">The database refused or aborted the query.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled; the query is cancelled in the database.</exception>
    Task<QueryOutcome> ExecuteAsync(ConnectionTarget target, QueryRequest request, IRowSink sink, CancellationToken ct);

    /// <summary>Drops what the connector keeps for the data source (its pool); called when it is deleted.</summary>
    ValueTask ForgetAsync(Guid dataSourceId);
}

/// <summary>The connectors of this instance, one per <see cref="DataSourceType"/>.</summary>
public interface IDataSourceConnectors
{
    /// <summary>Every registered connector, in the order of <see cref="DataSourceType"/>.</summary>
    IReadOnlyList<IDataSourceConnector> All { get; }

    IDataSourceConnector ConnectorFor(DataSourceType type);

    /// <summary>Every connector drops what it keeps for the data source.</summary>
    ValueTask ForgetAsync(Guid dataSourceId);
}
