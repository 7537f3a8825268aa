using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.AdminJobs;

/// <summary>
/// The admin job lists stay fast with a million finished jobs: every page, the first or one deep in the
/// table, with or without a filter, is an index range scan in id order — no sequential scan and no sort.
/// </summary>
public sealed class AdminJobsPlanTests(MillionJobs table) : IClassFixture<MillionJobs>
{
    private JobAdministration Administration => table.Administration;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryPage_IsAnIndexScanInIdOrder_WithAMillionFinishedJobs()
    {
        var middle = JobAdministration.LowestIdAt(DateTimeOffset.UtcNow.AddHours(-14));
        var filters = new JobPageFilter[]
        {
            new(),
            new(Before: middle),
            new([JobStatus.Succeeded]),
            new([JobStatus.Failed], Before: middle),
            new([JobStatus.Succeeded], Kind: "test.rare", Before: middle),
            new(Kind: "test.rare"),
            new([JobStatus.Queued]),
            new([JobStatus.Queued], Queue: "rare"),
            new(Queue: "rare"),
            new([JobStatus.Succeeded], Before: middle, Queue: "rare"),
            new(From: DateTimeOffset.UtcNow.AddHours(-2), To: DateTimeOffset.UtcNow.AddHours(-1)),
        };

        foreach (var filter in filters)
        {
            var plan = string.Join("\n", await Administration.PlanAsync(filter, 51, Ct));
            plan.ShouldContain("Index", customMessage: plan);
            plan.ShouldNotContain("Seq Scan", customMessage: plan);
            if (filter.Statuses is { Count: > 0 } statuses && statuses.All(s => s is JobStatus.Queued or JobStatus.Scheduled or JobStatus.Retrying or JobStatus.Running))
            {
                // Unfinished jobs have partial indexes of their own, which hold the live queue only (none of
                // the million finished jobs): the planner may read one and sort the few rows it holds.
                plan.ShouldNotContain("jobs_pkey", customMessage: plan);
            }
            else
            {
                plan.ShouldNotContain("Sort", customMessage: plan);
            }

            plan.ShouldNotContain("Bitmap", customMessage: plan);
        }
    }

    [Fact]
    public async Task TheRetentionPurgeAndTheThroughput_ReadTheFinishTimeIndex_WithAMillionFinishedJobs()
    {
        // The purge deletes its 1000 oldest succeeded jobs inside a transaction that is rolled back.
        string[] calls =
        [
            "SELECT loupe_jobs_purge(now() - interval '20 hours', now() - interval '30 days', 1000)",
            "SELECT * FROM loupe_admin_jobs_throughput(now() - interval '24 hours', 'hour')",
        ];

        foreach (var call in calls)
        {
            var plan = string.Join("\n", await table.NestedPlansAsync(call));
            plan.ShouldContain("ix_jobs_finished_at_state", customMessage: plan);
            plan.ShouldNotContain("Seq Scan", customMessage: plan);
        }
    }

    [Fact]
    public async Task PagesFollowTheCursor_WithoutGapsOrRepeats()
    {
        var failed = new JobPageFilter([JobStatus.Failed]);
        var first = await Administration.PageAsync(failed, 100, Ct);
        var second = await Administration.PageAsync(failed with { Before = first[^1].Summary.Id }, 100, Ct);
        var both = await Administration.PageAsync(failed, 200, Ct);

        first.Concat(second).Select(j => j.Summary.Id).ShouldBe(both.Select(j => j.Summary.Id));
        both.ShouldAllBe(j => j.Summary.Status == JobStatus.Failed);
        both.Select(j => j.Summary.Id.ToString()).ShouldBeInOrder(SortDirection.Descending, StringComparer.Ordinal);
    }

    [Fact]
    public async Task AQueuesPage_HoldsOnlyThatQueuesJobs_NewestFirst()
    {
        var page = await Administration.PageAsync(new JobPageFilter(Queue: "rare"), 100, Ct);

        page.Count.ShouldBe(100);
        page.ShouldAllBe(j => j.Summary.Queue == "rare");
        page.Select(j => j.Summary.Id.ToString()).ShouldBeInOrder(SortDirection.Descending, StringComparer.Ordinal);
        (await Administration.PageAsync(new JobPageFilter(Queue: "nothing-here"), 100, Ct)).ShouldBeEmpty();
    }
}

/// <summary>A scratch database with a million finished jobs, seeded once for the class.</summary>
public sealed class MillionJobs : IAsyncLifetime
{
    public const int Jobs = 1_000_000;

    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;
    private NpgsqlDataSource _app = null!;
    private JobAdministration _jobs = null!;

    internal JobAdministration Administration => _jobs;

    public async ValueTask InitializeAsync()
    {
        _database = await _databases.MigratedAsync();
        _app = NpgsqlDataSource.Create(TestPostgres.AppConnection(_database));
        _jobs = new JobAdministration(_app);

        // Ids shaped as UUIDv7 (48-bit milliseconds first), one job every 100 ms over the last ~28 hours;
        // one in ten of another kind, one in a hundred in another queue, one in fifty failed.
        await using var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(_database));
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            $$"""
            INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at, started_at, claimed_at, finished_at)
            SELECT (lpad(to_hex((extract(epoch FROM t.at) * 1000)::bigint), 12, '0') || '7000' || '8' || lpad(to_hex(g), 15, '0'))::uuid,
                   CASE WHEN g % 10 = 0 THEN 'test.rare' ELSE 'test.common' END, CASE WHEN g % 100 = 7 THEN 'rare' ELSE 'default' END, 2, '{}', NULL,
                   CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'succeeded' END, 1, 3, t.at, t.at, t.at, t.at, t.at + interval '50 ms'
            FROM generate_series(1, {{Jobs}}) g
            CROSS JOIN LATERAL (SELECT now() - interval '{{Jobs / 10}} seconds' + g * interval '100 milliseconds' AS at) t;
            ANALYZE jobs;
            """,
            connection)
        { CommandTimeout = 120 };
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>
    /// The plans of the statements <paramref name="call"/> runs inside the functions it calls, as the
    /// server's auto_explain module logs them to the session, in a transaction that is rolled back.
    /// </summary>
    public async Task<IReadOnlyList<string>> NestedPlansAsync(string call)
    {
        var plans = new List<string>();
        await using var connection = new NpgsqlConnection(TestPostgres.AdminConnectionTo(_database));
        connection.Notice += (_, e) =>
        {
            if (e.Notice.MessageText.StartsWith("duration:", StringComparison.Ordinal))
            {
                plans.Add(e.Notice.MessageText);
            }
        };
        await connection.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "LOAD 'auto_explain'; SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_nested_statements = on; "
            + "SET LOCAL client_min_messages = log; " + call + ";",
            connection,
            transaction);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
        await transaction.RollbackAsync(CancellationToken.None);
        return plans;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _databases.DisposeAsync();
    }
}
