using System.Globalization;
using System.Text;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Runs;

/// <summary>A run and the job that runs it, as the owner role sees them (no row-level security), for assertions.</summary>
internal sealed record RunAndJob(
    Guid RunId,
    string RunStatus,
    int RunAttempt,
    string? RunErrorCode,
    Guid? JobId,
    string? JobState,
    int? JobAttempt,
    int? JobMaxAttempts,
    string? LeaseOwner,
    string? JobError);

internal static class RunJobRows
{
    private const string Select =
        "SELECT r.id, r.status, r.attempt, r.error_code, j.id, j.state, j.attempt, j.max_attempts, j.lease_owner, j.error " +
        "FROM query_runs r LEFT JOIN jobs j ON j.id = r.job_id ";

    public static async Task<RunAndJob> GetAsync(string ownerConnection, Guid runId) =>
        (await ReadAsync(ownerConnection, "WHERE r.id = @id", new NpgsqlParameter("id", runId))).SingleOrDefault()
        ?? throw new InvalidOperationException($"Run {runId} does not exist.");

    /// <summary>Polls until the run's job is in <paramref name="state"/> (the job ends a moment after its run).</summary>
    public static Task<RunAndJob> WaitForStateAsync(string ownerConnection, Guid runId, string state) =>
        Eventually.HoldsAsync(
            () => GetAsync(ownerConnection, runId),
            row => row.JobState == state,
            TimeSpan.FromSeconds(30),
            $"the job of run {runId} reaches {state}");

    public static Task<IReadOnlyList<RunAndJob>> AllAsync(string ownerConnection) => ReadAsync(ownerConnection, "ORDER BY r.queued_at");

    /// <summary>Every run with its job, one a line, for a failing test's message.</summary>
    public static async Task<string> DescribeAsync(string ownerConnection)
    {
        var lines = new StringBuilder();
        foreach (var row in await AllAsync(ownerConnection))
        {
            lines.AppendLine(CultureInfo.InvariantCulture, $"{row}");
        }

        return lines.ToString();
    }

    private static async Task<IReadOnlyList<RunAndJob>> ReadAsync(string ownerConnection, string tail, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(ownerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Select + tail, connection);
        command.Parameters.AddRange(parameters);
        var rows = new List<RunAndJob>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new RunAndJob(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }
}
