using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>A job row as the owner role sees it (no row-level security), for assertions.</summary>
internal sealed record JobRow(
    Guid Id,
    string Kind,
    string State,
    int Attempt,
    int MaxAttempts,
    string? LeaseOwner,
    string? Error,
    DateTime RunAt,
    DateTime EnqueuedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    Guid? OrganizationId,
    DateTime? CancelRequestedAt);

internal static class JobRows
{
    public static async Task<JobRow?> FindAsync(string database, Guid id) =>
        (await ReadAsync(database, "WHERE id = @id", new NpgsqlParameter("id", id))).SingleOrDefault();

    public static async Task<JobRow> GetAsync(string database, Guid id) =>
        await FindAsync(database, id) ?? throw new InvalidOperationException($"Job {id} does not exist.");

    public static Task<IReadOnlyList<JobRow>> AllAsync(string database) => ReadAsync(database, string.Empty);

    public static async Task<long> CountAsync(string database, string where)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM jobs {where}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Writes a job row straight into the table as the owner (no engine involved), in <paramref name="state"/>;
    /// a running one holds a lease of node <c>node-x</c>. <paramref name="runAt"/> and <paramref name="finishedAt"/> are SQL expressions.
    /// </summary>
    public static async Task<Guid> InsertAsync(
        string database,
        string kind,
        string state,
        Guid? organizationId,
        string payload = "{}",
        string runAt = "now()",
        int attempt = 0,
        string? finishedAt = null,
        string? error = null,
        string queue = "default",
        int priority = 0)
    {
        var id = Guid.CreateVersion7();
        await InsertManyAsync(database, [id], kind, state, organizationId, payload, runAt, attempt, finishedAt, error, queue, priority);
        return id;
    }

    /// <summary>Writes the rows <paramref name="ids"/> alike, as <see cref="InsertAsync"/> writes one.</summary>
    public static async Task InsertManyAsync(
        string database, Guid[] ids, string kind, string state, Guid? organizationId, string payload, string runAt, int attempt, string? finishedAt, string? error, string queue, int priority)
    {
        var running = state == "running";
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at, error, " +
            "lease_owner, lease_expires_at, heartbeat_at, claimed_at, started_at, finished_at) " +
            $"SELECT i, @kind, @queue, @priority, @payload, @organization, @state, @attempt, 3, {runAt}, now(), @error, " +
            (running ? "'node-x', now() + interval '30 seconds', now(), now(), now(), " : "NULL, NULL, NULL, NULL, NULL, ") +
            $"{finishedAt ?? "NULL"} FROM unnest(@ids) AS ids(i)",
            connection);
        command.Parameters.AddWithValue("ids", ids);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("queue", queue);
        command.Parameters.AddWithValue("priority", priority);
        command.Parameters.AddWithValue("payload", payload);
        command.Parameters.AddWithValue("organization", (object?)organizationId ?? DBNull.Value);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("attempt", running ? Math.Max(attempt, 1) : attempt);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the job is in one of <paramref name="states"/>; fails after <paramref name="timeout"/>.</summary>
    public static Task<JobRow> WaitForAsync(string database, Guid id, TimeSpan timeout, params string[] states) =>
        Eventually.HoldsAsync(
            () => GetAsync(database, id),
            row => states.Contains(row.State),
            timeout,
            $"job {id} is {string.Join(" or ", states)}",
            row => $"{row.State} (attempt {row.Attempt})");

    private static async Task<IReadOnlyList<JobRow>> ReadAsync(string database, string where, params NpgsqlParameter[] parameters)
    {
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, kind, state, attempt, max_attempts, lease_owner, error, run_at, enqueued_at, started_at, finished_at, organization_id, cancel_requested_at " +
            $"FROM jobs {where} ORDER BY id",
            connection);
        command.Parameters.AddRange(parameters);
        var rows = new List<JobRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new JobRow(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetDateTime(7),
                reader.GetDateTime(8),
                reader.IsDBNull(9) ? null : reader.GetDateTime(9),
                reader.IsDBNull(10) ? null : reader.GetDateTime(10),
                reader.IsDBNull(11) ? null : reader.GetGuid(11),
                reader.IsDBNull(12) ? null : reader.GetDateTime(12)));
        }

        return rows;
    }
}
