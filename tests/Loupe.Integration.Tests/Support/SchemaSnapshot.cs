using Npgsql;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// A database's public schema as comparable text: every table's columns with type, length,
/// nullability and default; every constraint with its definition; every index with its definition.
/// Migration bookkeeping tables are left out.
/// </summary>
internal static class SchemaSnapshot
{
    private static readonly string[] Bookkeeping = ["__EFMigrationsHistory", "loupe_migration_checksums"];

    public static async Task<IReadOnlyList<string>> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        await ReadAsync(
            connection,
            """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name
                   || coalesce('(' || character_maximum_length || ')', '')
                   || CASE WHEN is_nullable = 'YES' THEN ' null' ELSE ' not null' END
                   || coalesce(' default ' || column_default, '')
            FROM information_schema.columns
            WHERE table_schema = 'public' AND NOT (table_name = ANY(@bookkeeping))
            """,
            lines);
        await ReadAsync(
            connection,
            """
            SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
            WHERE con.connamespace = 'public'::regnamespace AND NOT (rel.relname = ANY(@bookkeeping))
            """,
            lines);
        await ReadAsync(
            connection,
            """
            SELECT 'index ' || indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND NOT (tablename = ANY(@bookkeeping))
            """,
            lines);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, List<string> into)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("bookkeeping", Bookkeeping);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            into.Add(reader.GetString(0));
        }
    }
}
