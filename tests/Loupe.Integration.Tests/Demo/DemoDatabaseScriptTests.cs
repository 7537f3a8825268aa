using Loupe.Infrastructure.Tests;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Demo;

/// <summary>
/// <c>build/demo/demo.sql</c>, the demo shop <c>build/run.sh</c> loads: the same rows on every
/// machine (the checksums below were taken once and must never change by accident), consistent in
/// time, and sized by the <c>demo.*</c> settings.
/// </summary>
public sealed class DemoDatabaseScriptTests : IAsyncDisposable
{
    /// <summary>Every row of each table, in key order, as text; timestamps as Unix seconds.</summary>
    private const string Checksums = """
        SELECT 'products', count(*), md5(string_agg(concat_ws('|', id, name, category, price, extract(epoch FROM created_at)::bigint), E'\n' ORDER BY id)) FROM products
        UNION ALL SELECT 'customers', count(*), md5(string_agg(concat_ws('|', id, name, email, country, city, extract(epoch FROM signed_up_at)::bigint), E'\n' ORDER BY id)) FROM customers
        UNION ALL SELECT 'orders', count(*), md5(string_agg(concat_ws('|', id, customer_id, extract(epoch FROM ordered_at)::bigint, status, total), E'\n' ORDER BY id)) FROM orders
        UNION ALL SELECT 'order_items', count(*), md5(string_agg(concat_ws('|', order_id, line_no, product_id, quantity, unit_price), E'\n' ORDER BY order_id, line_no)) FROM order_items
        """;

    private readonly ScratchDatabases _databases = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    [Fact]
    public async Task DefaultSize_GivesTheSameRowsEverywhere()
    {
        var database = await _databases.EmptyAsync();
        await using var connection = await LoadAsync(database);

        var tables = await ReadChecksumsAsync(connection);

        tables.ShouldBe(
        [
            ("products", 500, "980d37e44a3a6a5f0f4fc4e1fea4e9a2"),
            ("customers", 20_000, "25cb2c541bd3452c42b2bbb996c5cb1e"),
            ("orders", 120_000, "76860b66c9a940b41071d1cd93f1d9f4"),
            ("order_items", 299_916, "c8d8ab486077f9cc74bb4d6e0670d785"),
        ]);
    }

    [Fact]
    public async Task SmallSize_IsConsistent_AndHasItsKeysAndIndexes()
    {
        var database = await _databases.EmptyAsync();
        await using var connection = await LoadAsync(database, ("demo.products", "30"), ("demo.customers", "200"), ("demo.orders", "1000"));

        (await ScalarAsync(connection, "SELECT count(*) FROM products")).ShouldBe(30L);
        (await ScalarAsync(connection, "SELECT count(*) FROM customers")).ShouldBe(200L);
        (await ScalarAsync(connection, "SELECT count(*) FROM orders")).ShouldBe(1000L);
        ((long)(await ScalarAsync(connection, "SELECT count(*) FROM order_items"))!).ShouldBeInRange(1000L, 4000L);

        // An order comes after its customer's sign-up and after the launch of what it contains,
        // falls in 2023-2025, and its total is the sum of its lines.
        (await ScalarAsync(connection, "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.signed_up_at > o.ordered_at")).ShouldBe(0L);
        (await ScalarAsync(connection, "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = i.product_id WHERE p.created_at > o.ordered_at")).ShouldBe(0L);
        (await ScalarAsync(connection, "SELECT count(*) FROM orders WHERE ordered_at < '2023-01-01Z' OR ordered_at >= '2026-01-01Z'")).ShouldBe(0L);
        (await ScalarAsync(connection, "SELECT count(*) FROM orders o WHERE total <> (SELECT sum(quantity * unit_price) FROM order_items i WHERE i.order_id = o.id)")).ShouldBe(0L);

        (await ScalarAsync(connection, "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text IN ('products', 'customers', 'orders', 'order_items')")).ShouldBe(4L);
        (await ScalarAsync(connection, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('orders', 'order_items')")).ShouldBe(3L);
        (await ScalarAsync(connection, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix\\_%'")).ShouldBe(6L);

        // The helper functions were temporary: nothing but the four tables is left behind.
        (await ScalarAsync(connection, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace")).ShouldBe(0L);
    }

    /// <summary>Runs the script as the test's owner role, with the given <c>demo.*</c> settings.</summary>
    private static async Task<NpgsqlConnection> LoadAsync(string database, params (string Name, string Value)[] settings)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "build", "demo", "demo.sql"), Ct);
        var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(Ct);
        foreach (var (name, value) in settings)
        {
            await using var set = new NpgsqlCommand("SELECT set_config(@name, @value, false)", connection);
            set.Parameters.AddWithValue("name", name);
            set.Parameters.AddWithValue("value", value);
            await set.ExecuteNonQueryAsync(Ct);
        }

        await using var load = new NpgsqlCommand(script, connection) { CommandTimeout = 300 };
        await load.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    private static async Task<List<(string Table, long Rows, string Md5)>> ReadChecksumsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(Checksums, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var tables = new List<(string, long, string)>();
        while (await reader.ReadAsync(Ct))
        {
            tables.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return tables;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}
