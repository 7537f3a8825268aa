using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// One attempt of a job, as a claim hands it to the node; <see cref="Reserved"/> when it took one of the
/// node's reserved slots (ADR 0030); <see cref="TraceParent"/> and <see cref="TraceState"/> the trace
/// context it was enqueued under (ADR 0040).
/// </summary>
internal sealed record ClaimedJob(
    Guid Id,
    string Kind,
    string Payload,
    Guid? OrganizationId,
    int Attempt,
    int MaxAttempts,
    DateTime EnqueuedAt,
    DateTime ClaimedAt,
    bool Reserved = false,
    string? TraceParent = null,
    string? TraceState = null);

internal readonly record struct SweepResult(int Requeued, int DeadLettered, int Cancelled, long Ready);

/// <summary>
/// The engine's connections, named <c>loupe-jobs</c> in <c>pg_stat_activity</c>: a small pool of their
/// own (so handlers that use every application connection cannot starve heartbeats), and an unpooled
/// source for the one connection that <c>LISTEN</c>s. The engine's functions leave nothing in a session,
/// so the pool skips Npgsql's session reset before each reuse; a LISTEN would outlive its listener on a
/// pooled connection, which is why the listener's connection is never pooled.
/// </summary>
internal sealed class JobsDataSource : IAsyncDisposable, IDisposable
{
    public const string ApplicationName = "loupe-jobs";

    public JobsDataSource(IOptions<Persistence.DatabaseOptions> database, IOptions<JobsOptions> jobs)
    {
        var builder = database.Value.PoolBuilder(Math.Min(jobs.Value.Concurrency, 8) + 4, ApplicationName);
        builder.ConnectionStringBuilder.ApplicationName = ApplicationName;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        Source = builder.Build();

        var listener = database.Value.PoolBuilder(1, ApplicationName + "-listener");
        listener.ConnectionStringBuilder.ApplicationName = ApplicationName;
        listener.ConnectionStringBuilder.Pooling = false;
        Listener = listener.Build();
    }

    public NpgsqlDataSource Source { get; }

    /// <summary>Unpooled: a closed listener connection really closes, and its LISTEN with it.</summary>
    public NpgsqlDataSource Listener { get; }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync().ConfigureAwait(false);
        await Listener.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        Source.Dispose();
        Listener.Dispose();
    }
}

/// <summary>
/// The engine's SQL: each method is one round trip to functions of migration 0005 (the claim: 0010, with
/// the trace context: 0012; with attempts, paused queues and the node registry: 0025).
/// </summary>
internal sealed class JobStore(JobsDataSource dataSource, JobNodeHost host, IOptions<JobsOptions> options)
{
    private readonly JobsOptions _options = options.Value;

    public string Node => _options.Node;

    /// <summary>
    /// Claims up to <paramref name="limit"/> due jobs (the node's free slots); <paramref name="open"/> of them
    /// may go to any organization, the rest only to organizations with nothing running (ADR 0030).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int limit, int open, CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand(
            "SELECT id, kind, payload, organization_id, attempt, max_attempts, enqueued_at, claimed_at, reserved, trace_parent, trace_state " +
            "FROM loupe_jobs_claim($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = open });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.LeaseSeconds });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.MaxRunningPerOrganization });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _options.EffectiveQueues], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var claimed = new List<ClaimedJob>(limit);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            claimed.Add(new ClaimedJob(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetDateTime(6),
                reader.GetDateTime(7),
                reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return claimed;
    }

    /// <returns>For each job the node still holds: whether its cancellation was asked for.</returns>
    public async Task<IReadOnlyDictionary<Guid, bool>> HeartbeatAsync(IReadOnlyCollection<Guid> jobIds, CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT job_id, cancel_requested FROM loupe_jobs_heartbeat($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. jobIds] });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.LeaseSeconds });
        var held = new Dictionary<Guid, bool>(jobIds.Count);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            held[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        return held;
    }

    /// <returns>False when the node no longer held the job.</returns>
    public async Task<bool> FinishAsync(Guid jobId, JobState state, string? error, DateTime? retryAt, CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT loupe_jobs_finish($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = state.ToText() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)retryAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Hands jobs back without using up their attempt; null means every job the node holds.</summary>
    public async Task<int> ReleaseAsync(IReadOnlyCollection<Guid>? jobIds, CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT loupe_jobs_release($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        command.Parameters.Add(new NpgsqlParameter { Value = jobIds is null ? DBNull.Value : jobIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        return (int)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The node's beat (it registers the node, or renews its row with <paramref name="slotsUsed"/>, and
    /// deletes nodes long gone: migration 0025) and the sweep of expired leases, in one round trip.
    /// </summary>
    public async Task<SweepResult> SweepAsync(int slotsUsed, CancellationToken ct)
    {
        await using var batch = dataSource.Source.CreateBatch();
        batch.BatchCommands.Add(BeatCommand(slotsUsed));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT requeued, dead_lettered, cancelled, ready FROM loupe_jobs_sweep()"));
        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.NextResultAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new SweepResult(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3));
    }

    /// <summary>Registers the node (or renews its row), as its first beat.</summary>
    public async Task BeatAsync(int slotsUsed, CancellationToken ct)
    {
        await using var batch = dataSource.Source.CreateBatch();
        batch.BatchCommands.Add(BeatCommand(slotsUsed));
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Takes the node out of the registry (a clean stop).</summary>
    public async Task RemoveNodeAsync(CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT loupe_jobs_node_remove($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes at most <paramref name="limit"/> jobs finished before their cut-off, with their attempts.</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeAsync(DateTimeOffset succeededBefore, DateTimeOffset failedBefore, int limit, CancellationToken ct)
    {
        await using var command = dataSource.Source.CreateCommand("SELECT loupe_jobs_purge($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = succeededBefore.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = failedBefore.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return (int)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private NpgsqlBatchCommand BeatCommand(int slotsUsed)
    {
        var command = new NpgsqlBatchCommand("SELECT loupe_jobs_node_beat($1, $2, $3, $4, $5, $6, $7, $8)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Node });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = host.Kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JobsOptions.MachineName() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Environment.ProcessId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.Concurrency });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slotsUsed });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. _options.EffectiveQueues], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _options.EffectiveNodeForgetSeconds });
        return command;
    }
}

/// <summary>Which host runs this node of the engine, as the node registry shows it: <c>api</c> or <c>worker</c>.</summary>
internal sealed record JobNodeHost(string Kind)
{
    public static readonly JobNodeHost Api = new("api");

    public static readonly JobNodeHost Worker = new("worker");
}
