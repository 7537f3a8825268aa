using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>
/// A batch of jobs as their rows tell it (every timestamp is either the database's clock or this
/// machine's, which are the same clock): how many ended well, when the first was queued and claimed,
/// when the last one finished; and for runs, how many were left queued or running although their job
/// had finished (runs no attempt will ever end).
/// </summary>
internal sealed record JobBatch(
    int Count, int Succeeded, int StrandedQueued, int StrandedRunning, DateTime FirstQueued, DateTime FirstStarted, DateTime LastFinished)
{
    /// <summary>"N succeeded", and the stranded runs when there are any.</summary>
    public string Outcome =>
        $"{Succeeded:N0} succeeded" +
        (StrandedRunning > 0 ? $", {StrandedRunning:N0} left running although their job had finished" : string.Empty) +
        (StrandedQueued > 0 ? $", {StrandedQueued:N0} left queued although their job had finished" : string.Empty);

    /// <summary>Items per second from the first claim to the last ending: how fast a backlog drains.</summary>
    public double DrainRate => Count / (LastFinished - FirstStarted).TotalSeconds;

    /// <summary>Items per second from the first queued to the last ending.</summary>
    public double EndToEndRate => Count / (LastFinished - FirstQueued).TotalSeconds;
}

/// <summary>A run's way from queued to started, split where its rows allow (ADR 0023: the run, then its job).</summary>
internal sealed record RunTiming(TimeSpan QueuedToStarted, TimeSpan Saved, TimeSpan Claimed, TimeSpan HandlerStarted, TimeSpan QueuedToFinished);

/// <summary>
/// The benchmarks' reads of <c>jobs</c> and <c>query_runs</c>, as the owner role (which row-level
/// security does not filter), on a pool of their own.
/// </summary>
internal sealed class JobRows(BenchDatabase database) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _owner = NpgsqlDataSource.Create(database.OwnerConnection);

    /// <summary>The job CreateRunCommand enqueued for the run.</summary>
    public async Task<Guid> JobOfRunAsync(Guid runId)
    {
        await using var command = _owner.CreateCommand("SELECT job_id FROM query_runs WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>How many of the runs are running now.</summary>
    public async Task<long> RunningRunsAsync(Guid[] runIds)
    {
        await using var command = _owner.CreateCommand("SELECT count(*) FROM query_runs WHERE id = ANY ($1) AND status = 'running'");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = runIds });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Jobs not yet finished, of any kind.</summary>
    public async Task<long> UnfinishedAsync()
    {
        await using var command = _owner.CreateCommand("SELECT count(*) FROM jobs WHERE state IN ('queued', 'running')");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Each succeeded job's enqueued → started (first claim) latency.</summary>
    public async Task<List<TimeSpan>> JobLatenciesAsync(IReadOnlyCollection<Guid> jobIds)
    {
        await using var command = _owner.CreateCommand("SELECT started_at - enqueued_at FROM jobs WHERE id = ANY ($1) AND state = 'succeeded'");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. jobIds] });
        return await ReadAsync(command, reader => reader.GetTimeSpan(0));
    }

    /// <summary>Each succeeded run's timeline: queued → started, and the three steps in between; queued → finished.</summary>
    public async Task<List<RunTiming>> RunTimingsAsync(IReadOnlyCollection<Guid> runIds)
    {
        await using var command = _owner.CreateCommand(
            """
            SELECT r.started_at - r.queued_at, j.enqueued_at - r.queued_at, j.started_at - j.enqueued_at, r.started_at - j.started_at, r.finished_at - r.queued_at
            FROM query_runs r JOIN jobs j ON j.id = r.job_id
            WHERE r.id = ANY ($1) AND r.status = 'succeeded'
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. runIds] });
        return await ReadAsync(command, reader => new RunTiming(reader.GetTimeSpan(0), reader.GetTimeSpan(1), reader.GetTimeSpan(2), reader.GetTimeSpan(3), reader.GetTimeSpan(4)));
    }

    /// <summary>Jobs (probe jobs, say) by id: the batch from the <c>jobs</c> rows.</summary>
    public Task<JobBatch> JobBatchAsync(IReadOnlyCollection<Guid> jobIds) => BatchAsync(
        """
        SELECT count(*), count(*) FILTER (WHERE j.state = 'succeeded'), 0, 0, min(j.enqueued_at), min(j.started_at), max(j.finished_at)
        FROM jobs j WHERE j.id = ANY ($1)
        """,
        jobIds);

    /// <summary>Runs by id: queued from the runs, claimed and finished from their jobs (a job finishes after its run), succeeded from the runs.</summary>
    public Task<JobBatch> RunBatchAsync(IReadOnlyCollection<Guid> runIds) => BatchAsync(
        """
        SELECT count(*), count(*) FILTER (WHERE r.status = 'succeeded' AND j.state = 'succeeded'),
               count(*) FILTER (WHERE r.status = 'queued' AND j.finished_at IS NOT NULL),
               count(*) FILTER (WHERE r.status = 'running' AND j.finished_at IS NOT NULL),
               min(r.queued_at), min(j.started_at), max(j.finished_at)
        FROM query_runs r JOIN jobs j ON j.id = r.job_id WHERE r.id = ANY ($1)
        """,
        runIds);

    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private async Task<JobBatch> BatchAsync(string sql, IReadOnlyCollection<Guid> ids)
    {
        await using var command = _owner.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ids] });
        var batch = (await ReadAsync(command, reader => new JobBatch(
            (int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), reader.GetDateTime(4), reader.GetDateTime(5), reader.GetDateTime(6))))[0];
        return batch.Count == ids.Count ? batch : throw new InvalidOperationException($"Only {batch.Count} of {ids.Count} rows were found.");
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
