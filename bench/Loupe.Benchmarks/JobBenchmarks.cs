using System.Diagnostics;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Jobs;
using Loupe.Application.Runs;
using Loupe.Application.Runs.Commands.CancelRun;
using Loupe.Application.Runs.Commands.CreateRun;
using Loupe.Infrastructure.Jobs;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// Runs on the job engine (docs/quality-targets.md, ADR 0021 and 0023). P3: a run's queued → started latency on an
/// idle node, beside the engine alone (a <c>jobs.probe</c> job) and the round trips a wake-up is made
/// of. P4: trivial runs drained per second, beside the engine alone draining probe jobs and the
/// connector running the same query in a loop with the node's parallelism. Every run is a full one:
/// <c>CreateRunCommand</c> through the mediator pipeline that <c>POST /runs</c> sends it to saves the
/// run and its <c>query.run</c> job; a worker node's <c>RunQueryJobHandler</c> reads the data source
/// through the connector's guard into the result store and finishes the run.
/// </summary>
internal static class JobBenchmarks
{
    private const string TrivialSql = "SELECT 1";

    /// <summary>RunQueryJobHandler's job kind (the handler is internal to the application layer).</summary>
    private const string RunKind = "query.run";
    private const int Organizations = 10;
    private const int LatencySamples = 200;
    private const int LatencyWarmUp = 20;
    private const int Submitters = 2;
    private const int TracedRuns = 200;

    /// <summary>Runs of the two variations on P4 (one organization; submitted while draining): enough to see the rate, not P4's target figure.</summary>
    private const int VariationRuns = 1_000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>The fairness line (ADR 0030): runs each of two flooding organizations queues, how long each sleeps, and the third organization's samples.</summary>
    private const int FloodRuns = 8;
    private const double FloodSeconds = 30;
    private const int FairnessSamples = 20;

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var database = await BenchDatabase.CreateAsync(settings, 1);
        try
        {
            await using var loupe = LoupeHosts.For(database);
            await using var rows = new JobRows(database);
            var cpu = await CpuMeter.ForServerAsync(database.OwnerConnection);
            var tenants = new List<BenchTenant>();
            for (var i = 1; i <= Organizations; i++)
            {
                tenants.Add(await loupe.AddTenantAsync($"Bench {i}"));
            }

            var jobs = loupe.Jobs;
            Console.WriteLine(
                $"== jobs: runs on the job engine (ADR 0021, 0023); one node in this process as Loupe.Worker ships it: Jobs:Concurrency {jobs.Concurrency}," +
                $" Jobs:MaxRunningPerOrganization {jobs.MaxRunningPerOrganization}, Jobs:PollMilliseconds {jobs.PollMilliseconds} ==");
            Console.WriteLine(
                $"        a run: CreateRunCommand (POST /runs's mediator pipeline, without HTTP) saves the run and its query.run job; RunQueryJobHandler runs {TrivialSql}" +
                " on the organization's PostgreSQL data source (this database, its password stored encrypted) through the connector's guard, stores the result and finishes the run");
            Console.WriteLine("        PostgreSQL: the throwaway one on this machine, fsync and synchronous_commit off (commits cost less than on a durable server)");
            await MeasureLatencyAsync(loupe, database, rows, tenants[0]);
            await MeasureThroughputAsync(loupe, rows, cpu, tenants, settings.Runs);
            await MeasureRoundTripsAsync(loupe, rows, tenants);
            await MeasureVariationsAsync(loupe, rows, tenants, Math.Min(settings.Runs, VariationRuns));
            await MeasureFairnessAsync(loupe, database, rows, tenants);
            await HangfireBaseline.RunAsync(loupe, database, rows, cpu, tenants, Math.Min(settings.Runs, HangfireBaseline.BacklogJobs));
        }
        finally
        {
            await database.DropAsync();
        }

        return 0;
    }

    /// <summary>P3: runs one at a time, each waited for, with a probe job after each; then bare round trips.</summary>
    private static async Task MeasureLatencyAsync(LoupeHosts loupe, BenchDatabase database, JobRows rows, BenchTenant tenant)
    {
        var runs = new List<Guid>();
        var probes = new List<Guid>();
        var random = new Random(3);
        await using (var worker = await loupe.StartWorkerAsync())
        {
            for (var i = 0; i < LatencyWarmUp + LatencySamples; i++)
            {
                var run = await loupe.SendAsync(tenant, new CreateRunCommand(tenant.DataSource.Id, TrivialSql));
                await worker.Watch.HandledAsync(await rows.JobOfRunAsync(run.Id), Patience);
                await Task.Delay(IdleGap(random));
                var probe = (await loupe.EnqueueAsync(tenant.OrganizationId, ProbeJob, 1))[0];
                await worker.Watch.HandledAsync(probe, Patience);
                await Task.Delay(IdleGap(random));
                if (i >= LatencyWarmUp)
                {
                    runs.Add(run.Id);
                    probes.Add(probe);
                }
            }
        }

        var timings = await rows.RunTimingsAsync(runs);
        var started = timings.Select(t => t.QueuedToStarted).ToList();
        var probeLatency = await rows.JobLatenciesAsync(probes);
        var failed = runs.Count - timings.Count + probes.Count - probeLatency.Count;
        var selects = await SelectRoundTripsAsync(database);
        var notifications = await NotifyRoundTripsAsync(database);
        Console.WriteLine(
            $"P3      run queued → started (query_runs.queued_at → started_at), {LatencySamples} runs one at a time on an idle node, each waited for: {Spread(started)}" +
            $" | baseline engine alone, jobs.probe enqueued → started, {LatencySamples} interleaved with the runs: {Spread(probeLatency)}" +
            $" | ratio p50 {Ratio(Median(started), Median(probeLatency))} p99 {Ratio(Percentile(started, 99), Percentile(probeLatency, 99))}" +
            " | target p50 <= 50 ms, p99 <= 250 ms" +
            (failed == 0 ? string.Empty : $" | {failed} run(s) or probe job(s) did not succeed and are left out"));
        Console.WriteLine(
            $"        the steps (p50 / p99): run and job saved (queued_at → jobs.enqueued_at) {Steps(timings, t => t.Saved)};" +
            $" NOTIFY, wake-up and claim (jobs.enqueued_at → started_at) {Steps(timings, t => t.Claimed)};" +
            $" handler until the run is started (jobs.started_at → query_runs.started_at) {Steps(timings, t => t.HandlerStarted)}");
        Console.WriteLine(
            $"        round trips on this machine, {LatencySamples} each: SELECT 1 from a pool {P50P99(selects)}; NOTIFY → a LISTENing connection {P50P99(notifications)}" +
            $" | for reference, run queued → finished: {P50P99([.. timings.Select(t => t.QueuedToFinished)])}");
    }

    /// <summary>P4: the same number of probe jobs, connector queries and runs, each drained by one node (or run) with the same parallelism.</summary>
    private static async Task MeasureThroughputAsync(LoupeHosts loupe, JobRows rows, CpuMeter? cpu, List<BenchTenant> tenants, int count)
    {
        var slots = loupe.Jobs.Concurrency;
        var spread = $"{count:N0} over {tenants.Count} organizations";

        var probeIds = new List<Guid>();
        foreach (var (tenant, share) in Shares(tenants, count))
        {
            probeIds.AddRange(await loupe.EnqueueAsync(tenant.OrganizationId, ProbeJob, share));
        }

        var probes = await DrainAsync(loupe, rows, cpu, ProbeJobHandler.JobKind, count);
        var probeBatch = await rows.JobBatchAsync(probeIds);

        var connector = await ConnectorLoopAsync(loupe, cpu, tenants, count, slots);

        var (runIds, submitting) = await SubmitRunsAsync(loupe, tenants, count);
        var runs = await DrainAsync(loupe, rows, cpu, RunKind, count);
        var runBatch = await rows.RunBatchAsync(runIds);

        Console.WriteLine(
            $"P4      trivial runs, {spread} (so that no organization's running limit holds the node below its {slots} slots), queued first," +
            $" then drained by one node: {PerSecond(runBatch.DrainRate, "runs")}" +
            $" ({Seconds(runBatch.LastFinished - runBatch.FirstStarted)} first claimed → last finished, {runBatch.Outcome})" +
            $" | baseline engine alone, jobs.probe × {spread}: {PerSecond(probeBatch.DrainRate, "jobs")} ({probeBatch.Outcome})" +
            $" | baseline connector alone, {TrivialSql} × {count:N0}, {slots} at a time: {PerSecond(connector.Rate, "queries")}" +
            $" | ratio to the engine alone {Ratio(runBatch.DrainRate, probeBatch.DrainRate)}, to the connector alone {Ratio(runBatch.DrainRate, connector.Rate)}" +
            " | target >= 500 runs/s");
        Console.WriteLine(
            $"        handler time (p50 / p99): query.run {Steps(runs.Handlers, t => t)}, jobs.probe {Steps(probes.Handlers, t => t)};" +
            $" {slots} slots at the runs' mean handler time allow {PerSecond(slots / runs.Handlers.Average(t => t.TotalSeconds), "runs")} at most");
        if (cpu is not null)
        {
            Console.WriteLine($"        {runs.Cpu!.Describe(count, "run")}");
            Console.WriteLine($"        {probes.Cpu!.Describe(count, "probe job")}");
            Console.WriteLine($"        {connector.Cpu!.Describe(count, "connector query")}");
        }

        Console.WriteLine($"        queueing the runs: {PerSecond(count / submitting.TotalSeconds, "runs")} through CreateRunCommand, {Submitters} at a time, no node running");
    }

    /// <summary>Where a run's time goes: its round trips, counted on a pass of their own (tracing costs a little).</summary>
    private static async Task MeasureRoundTripsAsync(LoupeHosts loupe, JobRows rows, List<BenchTenant> tenants)
    {
        await SubmitRunsAsync(loupe, tenants, TracedRuns);
        using (var statements = new StatementCounter())
        {
            await DrainAsync(loupe, rows, cpu: null, RunKind, TracedRuns);
            Console.WriteLine(
                $"        round trips per run, from Npgsql's tracing over {TracedRuns} more runs (commits and rollbacks are not traced): {statements.PerItem(TracedRuns)}");
            Console.WriteLine(
                $"        run saves refused as a conflict and tried again: {statements["saves undone after a conflict"]} of {statements["run updates"]} run updates" +
                $" (nothing else writes these runs), which had {statements["tenant setting on its own"]} tenant settings between them (one per save expected)");
        }
    }

    /// <summary>P4 with one organization (its running limit below the node's slots), and with runs submitted while the node drains them.</summary>
    private static async Task MeasureVariationsAsync(LoupeHosts loupe, JobRows rows, List<BenchTenant> tenants, int count)
    {
        var (singleIds, _) = await SubmitRunsAsync(loupe, tenants.Take(1).ToList(), count);
        await DrainAsync(loupe, rows, cpu: null, RunKind, count);
        var singleBatch = await rows.RunBatchAsync(singleIds);
        Console.WriteLine(
            $"        one organization, {count:N0} runs queued first: {PerSecond(singleBatch.DrainRate, "runs")}" +
            $" ({singleBatch.Outcome}; at most {Math.Min(loupe.Jobs.Concurrency, loupe.Jobs.MaxRunningPerOrganization)} of its runs at once: Jobs:MaxRunningPerOrganization)");

        await using (var worker = await loupe.StartWorkerAsync())
        {
            var (liveIds, _) = await SubmitRunsAsync(loupe, tenants, count);
            await WaitUntilDoneAsync(worker, rows, count);
            var batch = await rows.RunBatchAsync(liveIds);
            Console.WriteLine(
                $"        submitted while a node drains them, {count:N0} over {tenants.Count} organizations, {Submitters} submitters in this process:" +
                $" {PerSecond(batch.EndToEndRate, "runs")} first queued → last finished ({batch.Outcome}; the API side and the node share the CPUs)");
        }
    }

    /// <summary>
    /// Fairness (ADR 0030): two organizations each queue <see cref="FloodRuns"/> runs that sleep (in a
    /// function of the data source: the scanner refuses pg_sleep in a run's text) and take every slot
    /// they may; a third organization's trivial runs, one at a time, each waited for: queued → started.
    /// </summary>
    private static async Task MeasureFairnessAsync(LoupeHosts loupe, BenchDatabase database, JobRows rows, List<BenchTenant> tenants)
    {
        await using (var connection = new NpgsqlConnection(database.OwnerConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE OR REPLACE FUNCTION bench_pause(seconds double precision) RETURNS integer LANGUAGE sql AS 'SELECT 1 FROM pg_sleep(seconds)'", connection);
            await create.ExecuteNonQueryAsync();
        }

        var open = loupe.Jobs.Concurrency - loupe.Jobs.ReservedSlots;
        var flooding = tenants.Take(2).ToList();
        var third = tenants[2];
        var flood = new List<(BenchTenant Tenant, Guid Run)>();
        var samples = new List<Guid>();
        await using (var worker = await loupe.StartWorkerAsync())
        {
            for (var i = 0; i < FloodRuns; i++)
            {
                foreach (var tenant in flooding)
                {
                    var sql = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"select bench_pause({FloodSeconds}) as n");
                    flood.Add((tenant, (await loupe.SendAsync(tenant, new CreateRunCommand(tenant.DataSource.Id, sql))).Id));
                }
            }

            var deadline = Stopwatch.StartNew();
            while (await rows.RunningRunsAsync([.. flood.Select(f => f.Run)]) < Math.Min(open, 2 * loupe.Jobs.MaxRunningPerOrganization) && deadline.Elapsed < Patience)
            {
                await Task.Delay(20);
            }

            var held = await rows.RunningRunsAsync([.. flood.Select(f => f.Run)]);
            for (var i = 0; i < FairnessSamples; i++)
            {
                var run = await loupe.SendAsync(third, new CreateRunCommand(third.DataSource.Id, TrivialSql));
                await worker.Watch.HandledAsync(await rows.JobOfRunAsync(run.Id), Patience);
                samples.Add(run.Id);
            }

            var stillRunning = await rows.RunningRunsAsync([.. flood.Select(f => f.Run)]);
            foreach (var (tenant, run) in flood)
            {
                await loupe.SendAsync(tenant, new CancelRunCommand(run));
            }

            while (await rows.UnfinishedAsync() > 0 && deadline.Elapsed < Patience)
            {
                await Task.Delay(50);
            }

            var started = (await rows.RunTimingsAsync(samples)).Select(t => t.QueuedToStarted).ToList();
            Console.WriteLine(
                $"fairness two organizations queue {FloodRuns} runs of {FloodSeconds:0} s each and hold {held} slots of {loupe.Jobs.Concurrency} (Jobs:ReservedShare {loupe.Jobs.ReservedShare}," +
                $" {loupe.Jobs.ReservedSlots} reserved); a third organization's {TrivialSql}, {FairnessSamples} runs one at a time, queued → started: {Spread(started)}" +
                $" | {stillRunning} flood runs still running after the last sample");
        }
    }

    /// <summary>Starts a node, waits until it has run <paramref name="count"/> handlers and every job is finished, stops it.</summary>
    private static async Task<Drained> DrainAsync(LoupeHosts loupe, JobRows rows, CpuMeter? cpu, string kind, int count)
    {
        await using var worker = await loupe.StartWorkerAsync();
        var before = cpu?.Read();
        await WaitUntilDoneAsync(worker, rows, count);
        var use = cpu is null ? null : CpuMeter.Between(before!.Value, cpu.Read());
        return new Drained(worker.Watch.Durations(kind), use);
    }

    private static async Task WaitUntilDoneAsync(WorkerNode worker, JobRows rows, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (worker.Watch.Count < count || await rows.UnfinishedAsync() > 0)
        {
            if (deadline.Elapsed > Patience)
            {
                throw new TimeoutException($"The node ran {worker.Watch.Count} of {count} jobs in {Patience.TotalMinutes} minutes.");
            }

            await Task.Delay(worker.Watch.Count < count ? 10 : 50);
        }
    }

    private static async Task<(Guid[] Runs, TimeSpan Elapsed)> SubmitRunsAsync(LoupeHosts loupe, List<BenchTenant> tenants, int count)
    {
        var runs = new Guid[count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = Submitters },
            async (i, _) =>
            {
                var tenant = tenants[i % tenants.Count];
                runs[i] = (await loupe.SendAsync(tenant, new CreateRunCommand(tenant.DataSource.Id, TrivialSql))).Id;
            });
        return (runs, watch.Elapsed);
    }

    /// <summary>The run's query without the run: the connector's guard into a sink that keeps nothing, <paramref name="parallelism"/> at a time.</summary>
    private static async Task<(double Rate, CpuUse? Cpu)> ConnectorLoopAsync(LoupeHosts loupe, CpuMeter? cpu, List<BenchTenant> tenants, int count, int parallelism)
    {
        var connector = loupe.Connector;
        var source = tenants[0].DataSource;
        var request = new QueryRequest(TrivialSql, [], TimeSpan.FromSeconds(source.QueryTimeoutSeconds), source.MaxRows, RunSettings.Default.MaxResultBytes);
        Task Query(int i, CancellationToken ct) =>
            connector.ExecuteAsync(tenants[i % tenants.Count].Target, request, DiscardingSink.Instance, ct);

        // Warm every data source's pool as far as the runs will: a node opens them as it goes, once.
        await Parallel.ForEachAsync(Enumerable.Range(0, tenants.Count * parallelism), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) => await Query(i, ct));
        var before = cpu?.Read();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) => await Query(i, ct));
        watch.Stop();
        return (count / watch.Elapsed.TotalSeconds, cpu is null ? null : CpuMeter.Between(before!.Value, cpu.Read()));
    }

    private static async Task<List<TimeSpan>> SelectRoundTripsAsync(BenchDatabase database)
    {
        await using var source = NpgsqlDataSource.Create(database.AppConnection);
        var samples = new List<TimeSpan>();
        for (var i = 0; i < LatencyWarmUp + LatencySamples; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var connection = await source.OpenConnectionAsync())
            await using (var command = new NpgsqlCommand("SELECT 1", connection))
            {
                await command.ExecuteScalarAsync();
            }

            if (i >= LatencyWarmUp)
            {
                samples.Add(watch.Elapsed);
            }
        }

        return samples;
    }

    /// <summary>From sending NOTIFY (autocommit, so delivered at once) until a connection waiting on LISTEN receives it: the engine's wake-up.</summary>
    private static async Task<List<TimeSpan>> NotifyRoundTripsAsync(BenchDatabase database)
    {
        await using var listener = new NpgsqlConnection(database.AppConnection);
        await listener.OpenAsync();
        using var received = new SemaphoreSlim(0);
        listener.Notification += (_, _) => received.Release();
        await using (var listen = new NpgsqlCommand("LISTEN loupe_bench_round_trip", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        using var stop = new CancellationTokenSource();
        var waiting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await listener.WaitAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        });

        await using var sender = new NpgsqlConnection(database.AppConnection);
        await sender.OpenAsync();
        await using var notify = new NpgsqlCommand("NOTIFY loupe_bench_round_trip", sender);
        var samples = new List<TimeSpan>();
        for (var i = 0; i < LatencyWarmUp + LatencySamples; i++)
        {
            var watch = Stopwatch.StartNew();
            await notify.ExecuteNonQueryAsync();
            if (!await received.WaitAsync(Patience))
            {
                throw new TimeoutException("A notification never arrived.");
            }

            if (i >= LatencyWarmUp)
            {
                samples.Add(watch.Elapsed);
            }
        }

        await stop.CancelAsync();
        await waiting;
        return samples;
    }

    private static JobRequest ProbeJob(Guid organizationId) => new(ProbeJobHandler.JobKind, ProbeJobHandler.Payload(0), organizationId);

    /// <summary><paramref name="count"/> split over the tenants as evenly as it goes.</summary>
    private static IEnumerable<(BenchTenant Tenant, int Share)> Shares(List<BenchTenant> tenants, int count) =>
        tenants.Select((tenant, i) => (tenant, count / tenants.Count + (i < count % tenants.Count ? 1 : 0)));

    /// <summary>An idle pause between two submissions (10–20 ms), so each finds the node waiting and does not beat in step with it.</summary>
    private static TimeSpan IdleGap(Random random) => TimeSpan.FromMilliseconds(10 + random.Next(10));

    private static string Steps<T>(IReadOnlyCollection<T> samples, Func<T, TimeSpan> step)
    {
        var values = samples.Select(step).ToList();
        return $"{Milliseconds(Median(values))} / {Milliseconds(Percentile(values, 99))}";
    }

    private sealed record Drained(IReadOnlyList<TimeSpan> Handlers, CpuUse? Cpu);
}
