using System.Diagnostics;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// P8, schedules on the job engine (ADR 0064): 10,000 schedules of one organization due on the same
/// minute, two worker processes ticking side by side (each a <c>schedules-worker</c> child of this
/// process, a job-engine node as <c>Loupe.Worker</c> is, serving a queue no run is put in, so the
/// measurement is the firing alone), warmed up first by 1,000 other schedules fired at once, as a
/// running node is warm. Counted from the rows once the minute has passed: runs made, the
/// schedules that made none (missed) or more than one (doubled), and the time from the minute to the
/// last run queued (target: every run within 5 s). The baseline, in the same run: one
/// <c>INSERT … SELECT</c> of 10,000 runs into the same table (rolled back). Nothing is asserted.
/// </summary>
internal static class ScheduleBenchmarks
{
    /// <summary>10,000 unless LOUPE_BENCH_SCHEDULES asks for another number (a smaller one for a quick look).</summary>
    private static readonly int Schedules =
        Environment.GetEnvironmentVariable("LOUPE_BENCH_SCHEDULES") is { Length: > 0 } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 10_000;

    private const int Workers = 2;
    private const string IdleQueue = "bench-idle";
    private const int WarmUp = 1_000;
    private const string Measured = "Bench";

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var database = await BenchDatabase.CreateAsync(settings, 1);
        var children = new List<Process>();
        try
        {
            var baseline = await InsertBaselineAsync(database);
            Console.WriteLine($"baseline: INSERT of {Schedules:N0} runs in one statement: {Seconds(baseline)}");

            for (var i = 0; i < Workers; i++)
            {
                children.Add(await StartWorkerAsync(database));
            }

            // Warm-up: schedules due now, enough that both workers fire some (their first firing compiles what a warm node has compiled).
            var queryId = await AddQueryAsync(database);
            await SeedAsync(database, queryId, WarmUp, "Warm", "0 0 1 1 *", DateTimeOffset.UtcNow.AddSeconds(-1));
            await WaitAsync(database, "Warm", WarmUp, DateTimeOffset.UtcNow.AddSeconds(60));

            // Due on the next minute at least 15 s away, so both workers are warm and idle when it comes.
            var now = DateTimeOffset.UtcNow;
            var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(now.Second < 45 ? 1 : 2);
            await SeedAsync(database, queryId, Schedules, Measured, "* * * * *", due);
            Console.WriteLine($"{Schedules:N0} schedules due at {due:HH:mm:ss}, {Workers} worker processes (warmed up by {WarmUp:N0} schedules fired before)");

            var finished = await WaitAsync(database, Measured, Schedules, due + TimeSpan.FromSeconds(60));
            var (runs, distinct, last, stillDue) = await CountAsync(database, Measured);
            Console.WriteLine($"runs made: {runs:N0}; schedules with a run: {distinct:N0}; doubled: {runs - distinct:N0}; missed: {Schedules - distinct:N0}; still due: {stillDue:N0}");
            if (last is { } lastQueued)
            {
                var spread = lastQueued - due;
                Console.WriteLine($"P8: the last run queued {Seconds(spread)} after the minute (target: within 5 s); {Ratio(spread, baseline)} x the baseline insert");
            }

            Console.WriteLine(finished ? "every schedule fired" : "not every schedule fired within 60 s");
            return 0;
        }
        finally
        {
            foreach (var child in children)
            {
                child.StandardInput.Close();
                if (!child.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }

            await database.DropAsync();
        }
    }

    /// <summary>A worker process: a job-engine node on the bench database until its standard input closes.</summary>
    public static async Task<int> RunWorkerAsync(BenchSettings settings, string databaseName)
    {
        var database = BenchDatabase.Existing(settings, databaseName);
        await using var hosts = LoupeHosts.For(database, new Dictionary<string, string?> { ["Jobs:Queues:0"] = IdleQueue });
        await using var node = await hosts.StartWorkerAsync();
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private static async Task<Process> StartWorkerAsync(BenchDatabase database)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("schedules-worker");
        start.ArgumentList.Add(database.Name);
        var child = Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start.");
        var line = await child.StandardOutput.ReadLineAsync();
        return line == "ready" ? child : throw new InvalidOperationException($"The worker process said '{line}' instead of ready.");
    }

    private static async Task<Guid> AddQueryAsync(BenchDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        var queryId = Guid.CreateVersion7();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO saved_queries (id, organization_id, name, sql, parameters, tags, data_source_id, latest_version, created_at, updated_at) " +
            "VALUES ($1, $2, 'Bench', 'SELECT 1 AS one', '[]', '{}', $3, 1, now(), now())",
            connection);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = queryId });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = database.OrganizationId });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = database.DataSourceId });
        await insert.ExecuteNonQueryAsync();
        return queryId;
    }

    /// <summary>Enabled schedules of the query, named "<paramref name="prefix"/> N", in UTC, due at <paramref name="due"/>.</summary>
    private static async Task SeedAsync(BenchDatabase database, Guid queryId, int count, string prefix, string cron, DateTimeOffset due)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "INSERT INTO schedules (id, organization_id, query_id, name, parameters, cron, timezone, enabled, tags, next_run_at, consecutive_failures, created_at, updated_at) " +
                    "SELECT gen_random_uuid(), $1, $2, $3 || ' ' || g, '{}', $4, 'UTC', true, '{}', $5, 0, now(), now() FROM generate_series(1, $6) g")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = database.OrganizationId },
                        new NpgsqlParameter<Guid> { TypedValue = queryId },
                        new NpgsqlParameter<string> { TypedValue = prefix },
                        new NpgsqlParameter<string> { TypedValue = cron },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = due },
                        new NpgsqlParameter<int> { TypedValue = count },
                    },
                },
                new NpgsqlBatchCommand("ANALYZE schedules"),
            },
        };
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until every schedule has a run (true), or until <paramref name="until"/> (false).</summary>
    private static async Task<bool> WaitAsync(BenchDatabase database, string prefix, int count, DateTimeOffset until)
    {
        while (DateTimeOffset.UtcNow < until)
        {
            if ((await CountAsync(database, prefix)).Distinct >= count)
            {
                // A moment more, so that a doubled run would be counted too.
                await Task.Delay(TimeSpan.FromSeconds(3));
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return false;
    }

    /// <summary>The runs of the schedules named "<paramref name="prefix"/> N", and those of them still due.</summary>
    private static async Task<(long Runs, long Distinct, DateTimeOffset? Last, long StillDue)> CountAsync(BenchDatabase database, string prefix)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT r.schedule_id), max(r.queued_at), (SELECT count(*) FROM schedules WHERE name LIKE $1 AND next_run_at <= now()) " +
            "FROM query_runs r JOIN schedules s ON s.id = r.schedule_id WHERE s.name LIKE $1",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix + " %" });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3));
    }

    /// <summary>The time to insert 10,000 runs in one statement, into the same table with its indexes (rolled back).</summary>
    private static async Task<TimeSpan> InsertBaselineAsync(BenchDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        var best = TimeSpan.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO query_runs (id, organization_id, data_source_id, sql, parameter_values, cache_key, timeout_seconds, max_rows, status, attempt, queued_at, result_expired, schedule_settled) " +
                "SELECT gen_random_uuid(), $1, $2, 'SELECT 1 AS one', '[]', md5(g::text), 30, 1000, 'queued', 0, now(), false, false FROM generate_series(1, $3) g",
                connection,
                transaction);
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = database.OrganizationId });
            insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = database.DataSourceId });
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Schedules });
            var started = Stopwatch.GetTimestamp();
            await insert.ExecuteNonQueryAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            best = elapsed < best ? elapsed : best;
            await transaction.RollbackAsync();
        }

        return best;
    }
}
