using Loupe.Application.Common.Connectors;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>Reads a PostgreSQL catalog into a <see cref="DatabaseSchema"/>: what the data source's account may read.</summary>
internal static class PostgresCatalog
{
    /// <summary>Tables, partitioned tables, views, materialized views and foreign tables outside the system schemas, with their live columns.</summary>
    public const string SchemaSql = """
        SELECT n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND NOT c.relispartition
          AND n.nspname <> 'information_schema'
          AND n.nspname NOT LIKE 'pg\_%'
          AND has_schema_privilege(n.oid, 'USAGE')
          AND has_any_column_privilege(c.oid, 'SELECT')
        ORDER BY n.nspname, c.relname, a.attnum
        """;

    public static async Task<DatabaseSchema> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var schemas = new List<SchemaInfo>();
        List<TableInfo>? tables = null;
        List<ColumnInfo>? columns = null;
        string? schemaName = null;
        string? tableName = null;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var schema = reader.GetString(0);
            var table = reader.GetString(1);
            if (schema != schemaName)
            {
                tables = [];
                schemas.Add(new SchemaInfo(schema, tables));
                schemaName = schema;
                tableName = null;
            }

            if (table != tableName)
            {
                columns = [];
                tables!.Add(new TableInfo(table, Kind(reader.GetString(2)), columns));
                tableName = table;
            }

            if (!reader.IsDBNull(3))
            {
                columns!.Add(new ColumnInfo(reader.GetString(3), ColumnTypeName.Canonical(reader.GetString(4)), reader.GetBoolean(5)));
            }
        }

        return new DatabaseSchema(schemas);
    }

    private static string Kind(string relkind) => relkind switch
    {
        "v" => "view",
        "m" => "materialized_view",
        "f" => "foreign_table",
        "p" => "partitioned_table",
        _ => "table",
    };
}
