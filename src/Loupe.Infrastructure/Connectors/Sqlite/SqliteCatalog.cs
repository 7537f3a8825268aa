using Loupe.Application.Common.Connectors;
using Microsoft.Data.Sqlite;

namespace Loupe.Infrastructure.Connectors.Sqlite;

/// <summary>Reads a SQLite file's schema: one schema, <c>main</c>, with its tables and views ordered by name.</summary>
internal static class SqliteCatalog
{
    public const string SchemaName = "main";

    /// <summary>Tables (virtual ones too) and views, without SQLite's own <c>sqlite_…</c> tables.</summary>
    public const string TablesSql = """
        SELECT name, type FROM main.sqlite_schema
        WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
        ORDER BY name
        """;

    /// <summary>A table's or view's columns in their order, with the declared type (empty when none) and NOT NULL.</summary>
    public const string ColumnsSql = """SELECT name, type, "notnull" FROM pragma_table_info($table, 'main') ORDER BY cid""";

    /// <param name="unreadable">Told the name of a table or view whose columns SQLite could not read (a view over a missing table, a virtual table of an unknown module); it is listed without columns.</param>
    public static async Task<DatabaseSchema> ReadAsync(SqliteSession session, Action<string> unreadable)
    {
        ArgumentNullException.ThrowIfNull(session);
        var token = session.Token;
        var names = new List<(string Name, string Kind)>();
        using (var command = session.CreateCommand(TablesSql))
        {
            using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                names.Add((reader.GetString(0), reader.GetString(1) == "view" ? "view" : "table"));
            }
        }

        var tables = new List<TableInfo>(names.Count);
        foreach (var (name, kind) in names)
        {
            tables.Add(new TableInfo(name, kind, await ReadColumnsAsync(session, name, unreadable).ConfigureAwait(false)));
        }

        return new DatabaseSchema([new SchemaInfo(SchemaName, tables)]);
    }

    private static async Task<IReadOnlyList<ColumnInfo>> ReadColumnsAsync(SqliteSession session, string table, Action<string> unreadable)
    {
        var token = session.Token;
        var columns = new List<ColumnInfo>();
        try
        {
            using var command = session.CreateCommand(ColumnsSql);
            command.Parameters.AddWithValue("$table", table);
            using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                columns.Add(new ColumnInfo(reader.GetString(0), ColumnTypeName.Canonical(reader.GetString(1)), reader.GetInt64(2) == 0));
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteErrors.SqliteError)
        {
            unreadable(table);
            return [];
        }

        return columns;
    }
}
