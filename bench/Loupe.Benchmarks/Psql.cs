using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>Runs the PostgreSQL client as a child process: the baseline a Loupe export is compared with.</summary>
internal static class Psql
{
    /// <summary>Runs <paramref name="command"/> with its output sent to /dev/null; answers the wall time, start to exit.</summary>
    public static async Task<TimeSpan> RunAsync(BenchDatabase database, string command)
    {
        var watch = Stopwatch.StartNew();
        await RunShellAsync(database, command, "> /dev/null");
        return watch.Elapsed;
    }

    /// <summary>How many bytes <paramref name="command"/> writes to standard output.</summary>
    public static async Task<long> CountOutputBytesAsync(BenchDatabase database, string command) =>
        long.Parse((await RunShellAsync(database, command, "| wc -c")).Trim(), CultureInfo.InvariantCulture);

    private static async Task<string> RunShellAsync(BenchDatabase database, string command, string redirect)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.OwnerConnection);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"\"$0\" \"$@\" {redirect}");
        foreach (var argument in new[]
        {
            database.Settings.Psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture),
            "-U", connection.Username!, "-d", connection.Database!, "-c", command,
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("psql could not be started.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"psql failed (exit {process.ExitCode}).");
    }
}
