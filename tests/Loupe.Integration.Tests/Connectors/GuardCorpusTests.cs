using System.Globalization;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Tests.Queries.Safety;
using Loupe.Infrastructure.Connectors.Postgres;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>
/// Every text of the SQL safety corpus, run straight through the guard (the scanner bypassed) on a
/// SUPERUSER connection. Texts may fail — that is the expected outcome — but none may change
/// anything: table contents, catalogs, roles, databases, large objects or files.
/// </summary>
public sealed class GuardCorpusTests(VictimDatabase database) : IClassFixture<VictimDatabase>, IAsyncDisposable
{
    private static readonly TimeSpan CorpusTimeout = TimeSpan.FromSeconds(2);

    private readonly PostgresConnector _connector = TestDataSourceHosts.Connector();

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    [Fact]
    public async Task EveryMaliciousText_RunDirectlyAsSuperuser_ChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        SqlCorpus.Malicious.Length.ShouldBe(962);
        VictimDatabase.CorpusFilePaths.ShouldContain("/tmp/x");
        var before = await database.SnapshotAsync(ct);
        var filesBefore = VictimDatabase.FileSnapshot(VictimDatabase.CorpusFilePaths);
        var outcomes = new List<(string Sql, string Outcome)>();
        var problems = new List<string>();

        foreach (var sql in SqlCorpus.Malicious)
        {
            outcomes.Add((sql, await RunAsync(sql, problems, ct)));

            var after = await database.SnapshotAsync(ct);
            if (after != before)
            {
                problems.Add($"changed the database: {sql}\n{after}");
                before = after;
            }

            var filesAfter = VictimDatabase.FileSnapshot(VictimDatabase.CorpusFilePaths);
            if (filesAfter != filesBefore)
            {
                problems.Add($"changed a file: {sql}\n{filesAfter}");
                filesBefore = filesAfter;
            }
        }

        Report("malicious", outcomes);
        outcomes.Count.ShouldBe(962);
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryBenignText_RunsOrFailsCleanly_AndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await database.SnapshotAsync(ct);
        var outcomes = new List<(string Sql, string Outcome)>();
        var problems = new List<string>();

        foreach (var sql in SqlCorpus.Benign)
        {
            outcomes.Add((sql, await RunAsync(sql, problems, ct)));
        }

        Report("benign", outcomes);
        problems.ShouldBeEmpty();
        (await database.SnapshotAsync(ct)).ShouldBe(before);
    }

    [Theory]
    [InlineData("select 'delete from t'", "delete from t")]
    [InlineData("select 1 -- drop table t", 1)]
    [InlineData("select $$; drop table t$$", "; drop table t")]
    [InlineData("select E'it\\'s; drop'", "it's; drop")]
    [InlineData("select 'it''s; delete from t'", "it's; delete from t")]
    [InlineData("select 1;", 1)]
    [InlineData("select 1; -- done", 1)]
    [InlineData("select 1;;  ", 1)]
    [InlineData("  select 1 ;  /* trailing */  -- and more\n", 1)]
    [InlineData("select 1 /* /* */ ; drop table t */", 1)]
    [InlineData("/* leading comment */ select 1", 1)]
    [InlineData("-- leading\nselect 1", 1)]
    [InlineData("select 'pg_sleep(10)'", "pg_sleep(10)")]
    [InlineData("with x as (select 1 as a) select a from x", 1)]
    [InlineData("VALUES (1),(2)", 1)]
    [InlineData("(select 1) union (select 2)", 1)]
    [InlineData("TABLE s", 1)]
    [InlineData("select count(*) from pg_stat_activity where false", 0L)]
    public async Task SelfContainedBenignText_RunsThroughTheGuard(string sql, object firstValue)
    {
        var result = await _connector.ExecuteAsync(
            database.Target, new QueryRequest(sql, [], CorpusTimeout, 100, 1_000_000), TestContext.Current.CancellationToken);

        result.Rows.ShouldNotBeEmpty();
        result.Rows[0][0].ShouldBe(firstValue);
    }

    private async Task<string> RunAsync(string sql, List<string> problems, CancellationToken ct)
    {
        try
        {
            var result = await _connector.ExecuteAsync(database.Target, new QueryRequest(sql, [], CorpusTimeout, 100, 1_000_000), ct);
            return string.Create(CultureInfo.InvariantCulture, $"ok ({result.RowCount} rows)");
        }
        catch (QueryExecutionException exception)
        {
            return $"{exception.Code} {exception.Message}";
        }
#pragma warning disable CA1031 // Anything but a QueryExecutionException is a guard bug, collected and reported.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            problems.Add($"crashed ({exception.GetType().Name}: {exception.Message}): {sql}");
            return "crash";
        }
    }

    private static void Report(string corpus, List<(string Sql, string Outcome)> outcomes)
    {
        var output = TestContext.Current.TestOutputHelper;
        if (output is null)
        {
            return;
        }

        var succeeded = outcomes.Count(o => o.Outcome.StartsWith("ok", StringComparison.Ordinal));
        output.WriteLine($"{corpus}: {outcomes.Count} executed, {succeeded} succeeded, {outcomes.Count - succeeded} errored");
        foreach (var group in outcomes.GroupBy(o => o.Outcome.Split(' ')[0]).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        foreach (var (sql, outcome) in outcomes)
        {
            output.WriteLine($"  [{outcome}] {sql.ReplaceLineEndings(" ")}");
        }
    }
}
