using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hangfire;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// The job engine beside Hangfire (ADR 0021, amended 2026-12-06): Hangfire.Core 1.8 on
/// Hangfire.PostgreSql 1.21, in a schema of its own in the bench database, with as many workers as
/// the engine's node has slots, runs a job that does what <c>jobs.probe</c> does with a delay of 0 (it
/// returns at once). The two take turns, the other one stopped, so that both share the machine's noise
/// without running into each other: queued → started one job at a time in alternating blocks, then a
/// backlog drained by each, twice. Hangfire is tuned as far as its options go: long polling (LISTEN /
/// NOTIFY), a short poll behind it, a sliding invisibility timeout as long as the engine's lease, and the
/// serializer settings its documentation recommends for new installations.
/// </summary>
internal static class HangfireBaseline
{
    /// <summary>Hangfire's schema in the bench database (created by Hangfire.PostgreSql itself, as the owner role).</summary>
    private const string Schema = "hangfire_bench";

    /// <summary>Jobs per backlog when LOUPE_BENCH_RUNS does not ask for fewer: enough to see the rate in a minute or two.</summary>
    public const int BacklogJobs = 2_000;

    private const int Backlogs = 2;
    private const int LatencyBlocks = 4;
    private const int BlockSamples = 50;
    private const int BlockWarmUp = 5;
    private const int TracedJobs = 200;
    private const int Submitters = 2;
    private static readonly TimeSpan QueuePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(LoupeHosts loupe, BenchDatabase database, JobRows rows, CpuMeter? cpu, List<BenchTenant> tenants, int backlog)
    {
        LogProvider.SetCurrentLogProvider(new WarningsOnStandardError());
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = true,
            EnableLongPolling = true,
            QueuePollInterval = QueuePoll,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromSeconds(loupe.Jobs.LeaseSeconds),
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database.OwnerConnection, options), options);
        var hangfire = new HangfireNode(storage, loupe.Jobs.Concurrency, new HangfireRows(database.OwnerConnection));
        var load = LoadAverage();

        Console.WriteLine(
            $"hangfire the engine beside Hangfire.Core 1.8.25 + Hangfire.PostgreSql 1.21.1 (schema {Schema} of this database): {hangfire.Workers} workers (Jobs:Concurrency)," +
            $" EnableLongPolling, QueuePollInterval {QueuePoll.TotalMilliseconds:0} ms, UseSlidingInvisibilityTimeout with InvisibilityTimeout {options.InvisibilityTimeout.TotalSeconds:0} s (Jobs:LeaseSeconds)," +
            " compatibility level 1.8.0 with its recommended serializer settings; the job: a static method that returns at once (jobs.probe with delay 0);" +
            $" the two take turns, the other stopped; both in this process (Hangfire's workers are then also woken in memory when a job is queued here) | load average before: {load}");

        var ours = new List<TimeSpan>();
        var theirs = new List<HangfireTiming>();
        for (var block = 0; block < LatencyBlocks; block++)
        {
            ours.AddRange(await EngineLatencyAsync(loupe, rows, tenants[block % tenants.Count]));
            theirs.AddRange(await hangfire.LatencyAsync());
        }

        var started = theirs.Select(t => t.CreatedToProcessing).ToList();
        Console.WriteLine(
            $"        queued → started, {ours.Count} jobs each one at a time on an idle node, each waited for, in {LatencyBlocks} alternating blocks:" +
            $" engine (jobs.probe enqueued_at → started_at) {Spread(ours)} | Hangfire (job created → Processing state) {Spread(started)}" +
            $" | engine ÷ Hangfire p50 {Ratio(Median(ours), Median(started))} p99 {Ratio(Percentile(ours, 99), Percentile(started, 99))}");
        Console.WriteLine(
            $"          Hangfire's steps: its client, job created → Enqueued state {P50P99([.. theirs.Select(t => t.CreatedToEnqueued)])};" +
            $" its server, Enqueued state → Processing state {P50P99([.. theirs.Select(t => t.EnqueuedToProcessing)])}");

        for (var round = 1; round <= Backlogs; round++)
        {
            var engine = await EngineBacklogAsync(loupe, rows, cpu, tenants, backlog, trace: false);
            var other = await hangfire.BacklogAsync(cpu, backlog, trace: false);
            Console.WriteLine(
                $"        backlog {round} of {Backlogs}: {backlog:N0} jobs queued first, then drained by one node, first started → last finished:" +
                $" engine {PerSecond(engine.Rate, "jobs")} ({engine.Outcome}) | Hangfire {PerSecond(other.Rate, "jobs")} ({other.Outcome})" +
                $" | engine ÷ Hangfire {Ratio(engine.Rate, other.Rate)}; queueing them one per transaction, {Submitters} at a time, nothing running:" +
                $" engine {PerSecond(engine.QueueRate, "jobs")} | Hangfire {PerSecond(other.QueueRate, "jobs")}");
            if (engine.Cpu is not null && other.Cpu is not null)
            {
                Console.WriteLine($"          engine {engine.Cpu.Describe(backlog, "job")}");
                Console.WriteLine($"          Hangfire {other.Cpu.Describe(backlog, "job")}");
            }
        }

        var engineTraced = await EngineBacklogAsync(loupe, rows, cpu: null, tenants, TracedJobs, trace: true);
        var hangfireTraced = await hangfire.BacklogAsync(cpu: null, TracedJobs, trace: true);
        Console.WriteLine(
            $"        round trips per job while a node drains a backlog, from Npgsql's tracing over {TracedJobs} more jobs each (commits and rollbacks are not traced;" +
            $" the server's own background work counts too): engine {engineTraced.RoundTrips} | Hangfire {hangfireTraced.RoundTrips}");
        Console.WriteLine($"        load average after: {LoadAverage()}");
    }

    /// <summary>A block of probe jobs, one at a time, on a node started for it: enqueued_at → started_at from their rows.</summary>
    private static async Task<List<TimeSpan>> EngineLatencyAsync(LoupeHosts loupe, JobRows rows, BenchTenant tenant)
    {
        var probes = new List<Guid>();
        var random = new Random(5);
        await using (var worker = await loupe.StartWorkerAsync())
        {
            for (var i = 0; i < BlockWarmUp + BlockSamples; i++)
            {
                var probe = (await loupe.EnqueueAsync(tenant.OrganizationId, Probe, 1))[0];
                await worker.Watch.HandledAsync(probe, Patience);
                await Task.Delay(IdleGap(random));
                if (i >= BlockWarmUp)
                {
                    probes.Add(probe);
                }
            }
        }

        var latencies = await rows.JobLatenciesAsync(probes);
        return latencies.Count == probes.Count ? latencies : throw new InvalidOperationException($"{probes.Count - latencies.Count} probe jobs did not succeed.");
    }

    /// <summary>Probe jobs spread over the organizations (so that no running limit holds the node below its slots), queued first, then drained.</summary>
    private static async Task<Backlog> EngineBacklogAsync(LoupeHosts loupe, JobRows rows, CpuMeter? cpu, List<BenchTenant> tenants, int count, bool trace)
    {
        var ids = new Guid[count];
        var queueing = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Submitters },
            async (i, _) => ids[i] = (await loupe.EnqueueAsync(tenants[i % tenants.Count].OrganizationId, Probe, 1))[0]);
        queueing.Stop();
        CpuUse? use;
        using var trips = trace ? new StatementCounter() : null;
        await using (var worker = await loupe.StartWorkerAsync())
        {
            var before = cpu?.Read();
            var deadline = Stopwatch.StartNew();
            while (worker.Watch.Count < count || await rows.UnfinishedAsync() > 0)
            {
                if (deadline.Elapsed > Patience)
                {
                    throw new TimeoutException($"The node ran {worker.Watch.Count} of {count} probe jobs in {Patience.TotalMinutes} minutes.");
                }

                await Task.Delay(worker.Watch.Count < count ? 10 : 50);
            }

            use = cpu is null ? null : CpuMeter.Between(before!.Value, cpu.Read());
        }

        var roundTrips = trips?.PerItem(count);
        var batch = await rows.JobBatchAsync(ids);
        return new Backlog(batch.DrainRate, count / queueing.Elapsed.TotalSeconds, batch.Outcome, use, roundTrips);
    }

    /// <summary>
    /// One enqueue in one unit of work, as the engine's probe bench queues them (one INSERT; the
    /// engine's claim, not this, is what the figures compare). Hangfire's client queues one job per call.
    /// </summary>
    private static JobRequest Probe(Guid organizationId) => new(ProbeJobHandler.JobKind, ProbeJobHandler.Payload(0), organizationId);

    /// <summary>An idle pause between two submissions (10–20 ms), as the engine's own P3 leaves.</summary>
    private static TimeSpan IdleGap(Random random) => TimeSpan.FromMilliseconds(10 + random.Next(10));

    /// <summary>The 1, 5 and 15 minute load averages of this machine (it is shared: the figures move with it).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record Backlog(double Rate, double QueueRate, string Outcome, CpuUse? Cpu, string? RoundTrips);

    /// <summary>A Hangfire job's way to its worker, from its state rows: the client's part, then the server's.</summary>
    private sealed record HangfireTiming(TimeSpan CreatedToEnqueued, TimeSpan EnqueuedToProcessing)
    {
        public TimeSpan CreatedToProcessing => CreatedToEnqueued + EnqueuedToProcessing;
    }

    /// <summary>A Hangfire server of <see cref="Workers"/> workers, started for each measurement and stopped after it; its client queues the jobs.</summary>
    private sealed class HangfireNode(JobStorage storage, int workers, HangfireRows rows)
    {
        private readonly BackgroundJobClient _client = new(storage);

        public int Workers { get; } = workers;

        public async Task<List<HangfireTiming>> LatencyAsync()
        {
            var jobs = new List<long>();
            var random = new Random(5);
            using (var server = Start())
            {
                for (var i = 0; i < BlockWarmUp + BlockSamples; i++)
                {
                    var signal = Guid.NewGuid();
                    var done = HangfireProbeJob.Expect(signal);
                    var id = _client.Enqueue(() => HangfireProbeJob.Run(signal));
                    await done.WaitAsync(Patience);
                    await Task.Delay(IdleGap(random));
                    if (i >= BlockWarmUp)
                    {
                        jobs.Add(long.Parse(id, CultureInfo.InvariantCulture));
                    }
                }

                await StopAsync(server);
            }

            var latencies = await rows.TimingsAsync(jobs);
            return latencies.Count == jobs.Count ? latencies : throw new InvalidOperationException($"{jobs.Count - latencies.Count} Hangfire jobs have no Processing state.");
        }

        public async Task<Backlog> BacklogAsync(CpuMeter? cpu, int count, bool trace)
        {
            var ids = new long[count];
            var queueing = Stopwatch.StartNew();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Submitters }, i =>
                ids[i] = long.Parse(_client.Enqueue(() => HangfireProbeJob.Run(Guid.Empty)), CultureInfo.InvariantCulture));
            queueing.Stop();

            var ran = HangfireProbeJob.Count;
            CpuUse? use;
            using var trips = trace ? new StatementCounter() : null;
            using (var server = Start())
            {
                var before = cpu?.Read();
                var deadline = Stopwatch.StartNew();
                while (HangfireProbeJob.Count - ran < count || await rows.SucceededAsync(ids) < count)
                {
                    if (deadline.Elapsed > Patience)
                    {
                        throw new TimeoutException($"Hangfire ran {HangfireProbeJob.Count - ran} of {count} jobs in {Patience.TotalMinutes} minutes.");
                    }

                    await Task.Delay(HangfireProbeJob.Count - ran < count ? 10 : 50);
                }

                use = cpu is null ? null : CpuMeter.Between(before!.Value, cpu.Read());
                await StopAsync(server);
            }

            var roundTrips = trips?.PerItem(count);
            var (succeeded, firstProcessing, lastSucceeded) = await rows.BatchAsync(ids);
            return new Backlog(count / (lastSucceeded - firstProcessing).TotalSeconds, count / queueing.Elapsed.TotalSeconds, $"{succeeded:N0} succeeded", use, roundTrips);
        }

        private BackgroundJobServer Start() => new(new BackgroundJobServerOptions { WorkerCount = Workers, ServerName = $"loupe-bench-{Guid.NewGuid():N}" }, storage);

        /// <summary>Stops the server off the caller's thread (Hangfire waits for its workers synchronously).</summary>
        private static Task StopAsync(BackgroundJobServer server) => Task.Run(() =>
        {
            server.SendStop();
            server.WaitForShutdown(TimeSpan.FromSeconds(30));
        });
    }

    /// <summary>Hangfire.PostgreSql's rows of the measured jobs: every state change is a row of <c>state</c>, stamped by the process that made it.</summary>
    private sealed class HangfireRows(string connectionString)
    {
        /// <summary>Jobs that reached Processing: created → first Enqueued state → first Processing state.</summary>
        public async Task<List<HangfireTiming>> TimingsAsync(IReadOnlyCollection<long> jobs)
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand(
                $"""
                SELECT e.at - j.createdat, p.at - e.at
                FROM {Schema}.job j
                JOIN LATERAL (SELECT min(createdat) AS at FROM {Schema}.state WHERE jobid = j.id AND name = 'Enqueued') e ON true
                JOIN LATERAL (SELECT min(createdat) AS at FROM {Schema}.state WHERE jobid = j.id AND name = 'Processing') p ON true
                WHERE j.id = ANY ($1) AND p.at IS NOT NULL
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. jobs] });
            var timings = new List<HangfireTiming>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                timings.Add(new HangfireTiming(reader.GetTimeSpan(0), reader.GetTimeSpan(1)));
            }

            return timings;
        }

        public async Task<long> SucceededAsync(long[] jobs)
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {Schema}.job WHERE id = ANY ($1) AND statename = 'Succeeded'", connection);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = jobs });
            return (long)(await command.ExecuteScalarAsync())!;
        }

        /// <summary>Jobs succeeded, the first Processing state and the last Succeeded one.</summary>
        public async Task<(long Succeeded, DateTime FirstProcessing, DateTime LastSucceeded)> BatchAsync(long[] jobs)
        {
            await using var connection = await OpenAsync();
            await using var command = new NpgsqlCommand(
                $"""
                SELECT (SELECT count(*) FROM {Schema}.job WHERE id = ANY ($1) AND statename = 'Succeeded'),
                       min(createdat) FILTER (WHERE name = 'Processing'), max(createdat) FILTER (WHERE name = 'Succeeded')
                FROM {Schema}.state WHERE jobid = ANY ($1)
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = jobs });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetDateTime(1), reader.GetDateTime(2));
        }

        private async Task<NpgsqlConnection> OpenAsync()
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return connection;
        }
    }

    /// <summary>Hangfire's own warnings and errors on stderr, as the bench's hosts log theirs; nothing below.</summary>
    private sealed class WarningsOnStandardError : ILogProvider
    {
        public ILog GetLogger(string name) => new Logger(name);

        private sealed class Logger(string name) : ILog
        {
            public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
            {
                if (logLevel < LogLevel.Warn)
                {
                    return false;
                }

                if (messageFunc is not null)
                {
                    Console.Error.WriteLine($"[hangfire {logLevel}] {name}: {messageFunc()}{(exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})")}");
                }

                return true;
            }
        }
    }
}

/// <summary>The job Hangfire runs in the baseline: it returns at once, and says so to a waiting benchmark when asked to.</summary>
public static class HangfireProbeJob
{
    private static readonly ConcurrentDictionary<Guid, TaskCompletionSource> Waiting = new();
    private static int _count;

    /// <summary>Jobs run so far in this process.</summary>
    public static int Count => Volatile.Read(ref _count);

    /// <summary>Hangfire calls this (a public method, found again by name from the job's stored invocation).</summary>
    public static void Run(Guid signal)
    {
        Interlocked.Increment(ref _count);
        if (Waiting.TryRemove(signal, out var done))
        {
            done.TrySetResult();
        }
    }

    /// <summary>Completes when the job carrying <paramref name="signal"/> has run.</summary>
    internal static Task Expect(Guid signal) =>
        Waiting.GetOrAdd(signal, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
