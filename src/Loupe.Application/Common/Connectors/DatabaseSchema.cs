namespace Loupe.Application.Common.Connectors;

/// <summary>What a data source holds: its schemas with their tables and views, ordered by name.</summary>
public sealed record DatabaseSchema(IReadOnlyList<SchemaInfo> Schemas)
{
    /// <summary>How many tables and views all schemas hold.</summary>
    public int TableCount => Schemas.Sum(schema => schema.Tables.Count);
}

/// <summary>One schema (SQLite has one, <c>main</c>).</summary>
public sealed record SchemaInfo(string Name, IReadOnlyList<TableInfo> Tables);

/// <summary>A table, view, materialized view or foreign table and its columns in their order.</summary>
/// <param name="Kind"><c>table</c>, <c>view</c>, <c>materialized_view</c>, <c>foreign_table</c> or <c>partitioned_table</c>.</param>
public sealed record TableInfo(string Name, string Kind, IReadOnlyList<ColumnInfo> Columns);

/// <summary>A column with its type as the database names it.</summary>
public sealed record ColumnInfo(string Name, string Type, bool Nullable);
