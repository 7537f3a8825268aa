using System.Globalization;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>What build/bench.sh hands over: the throwaway PostgreSQL's connection strings, psql, and the result size.</summary>
internal sealed record BenchSettings(string AdminConnection, string OwnerConnection, string AppConnection, string Psql, int Rows)
{
    public static BenchSettings FromEnvironment() => new(
        Require("LOUPE_BENCH_ADMIN_CONNECTION"),
        Require("LOUPE_BENCH_OWNER_CONNECTION"),
        Require("LOUPE_BENCH_APP_CONNECTION"),
        Require("LOUPE_BENCH_PSQL"),
        Environment.GetEnvironmentVariable("LOUPE_BENCH_ROWS") is { Length: > 0 } rows ? int.Parse(rows, CultureInfo.InvariantCulture) : 1_000_000);

    public static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the benchmarks with ./build/bench.sh, which starts a throwaway PostgreSQL and sets it.");
}
