using System.Globalization;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>What build/bench.sh hands over: the throwaway PostgreSQL's connection strings, psql, the result size and the number of runs.</summary>
internal sealed record BenchSettings(string AdminConnection, string OwnerConnection, string AppConnection, string Psql, int Rows, int Runs)
{
    public static BenchSettings FromEnvironment() => new(
        Require("LOUPE_BENCH_ADMIN_CONNECTION"),
        Require("LOUPE_BENCH_OWNER_CONNECTION"),
        Require("LOUPE_BENCH_APP_CONNECTION"),
        Require("LOUPE_BENCH_PSQL"),
        Number("LOUPE_BENCH_ROWS", 1_000_000),
        Number("LOUPE_BENCH_RUNS", 5_000));

    public static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static int Number(string variable, int otherwise) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : otherwise;

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set. Run the benchmarks with ./build/bench.sh, which starts a throwaway PostgreSQL and sets it.");
}
