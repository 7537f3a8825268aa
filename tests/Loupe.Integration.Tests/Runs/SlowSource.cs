using System.Globalization;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// Slow runs that leave the CPUs to the other tests. A run's text may not call <c>pg_sleep</c> (the
/// scanner refuses it), but a data source may well offer a function that takes its time:
/// <c>pause_then(answer, seconds)</c> sleeps, then answers. <see cref="ControlledSql"/> sleeps for
/// what <c>control.pause</c> held when its attempt took its snapshot, so a test can make a first
/// attempt last far longer than the test and any later attempt end at once.
/// </summary>
internal static class SlowSource
{
    /// <summary>Creates the function and the control row (<paramref name="pauseSeconds"/>) in the database of <paramref name="adminConnection"/>.</summary>
    public static Task InstallAsync(string adminConnection, double pauseSeconds) =>
        ExecuteAsync(
            adminConnection,
            "CREATE FUNCTION pause_then(answer bigint, seconds double precision) RETURNS bigint LANGUAGE sql " +
            "AS 'SELECT answer FROM pg_sleep(seconds)'; " +
            "CREATE TABLE control (pause double precision NOT NULL); " +
            string.Create(CultureInfo.InvariantCulture, $"INSERT INTO control VALUES ({pauseSeconds})"));

    /// <summary>How long attempts that take their snapshot from now on sleep.</summary>
    public static Task SetPauseAsync(string adminConnection, double pauseSeconds) =>
        ExecuteAsync(adminConnection, string.Create(CultureInfo.InvariantCulture, $"UPDATE control SET pause = {pauseSeconds}"));

    /// <summary>A run answering <paramref name="answer"/> in column <c>n</c> after the pause of the control row.</summary>
    public static string ControlledSql(long answer) =>
        string.Create(CultureInfo.InvariantCulture, $"select pause_then({answer}, (select pause from control)) as n");

    /// <summary>A run answering <paramref name="answer"/> in column <c>n</c> after <paramref name="seconds"/>.</summary>
    public static string PausedSql(long answer, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"select pause_then({answer}, {seconds}) as n");

    /// <summary>Backends of <paramref name="database"/> fetching from a run's cursor now (a run reading, or sleeping).</summary>
    public static async Task<long> ActiveFetchesAsync(string adminConnection, string database)
    {
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query ILIKE 'FETCH%'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
