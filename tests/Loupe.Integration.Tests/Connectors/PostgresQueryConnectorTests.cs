using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors;
using Loupe.Infrastructure.Connectors.Postgres;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>The execution guard's limits and refusals, against a real PostgreSQL, connected as superuser.</summary>
public sealed class PostgresQueryConnectorTests(VictimDatabase database) : IClassFixture<VictimDatabase>, IAsyncDisposable
{
    private readonly PostgresConnector _connector = TestDataSourceHosts.Connector();
    private readonly List<NpgsqlDataSource> _pools = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync();
        }

        await _connector.DisposeAsync();
    }

    [Fact]
    public async Task RowLimit_WhenMoreRowsExist_ReturnsLimitAndFlagsTruncation()
    {
        var result = await RunAsync("select generate_series(1, 1000)", maxRows: 100);

        result.RowCount.ShouldBe(100);
        result.Rows.Count.ShouldBe(100);
        result.Truncated.ShouldBeTrue();
        result.Rows[99][0].ShouldBe(100);
        result.Columns.ShouldBe([new QueryColumn("generate_series", "integer")]);
    }

    [Fact]
    public async Task RowLimit_WhenExactlyLimitRowsExist_IsNotTruncated()
    {
        var result = await RunAsync("select g as n, g::text as label from generate_series(1, 100) g", maxRows: 100);

        result.RowCount.ShouldBe(100);
        result.Truncated.ShouldBeFalse();
        result.Columns.ShouldBe([new QueryColumn("n", "integer"), new QueryColumn("label", "text")]);
    }

    [Fact]
    public async Task RowLimit_AcrossSeveralFetchChunks_ReturnsEveryRowInOrder()
    {
        var result = await RunAsync("select generate_series(1, 1234)", maxRows: 5000);

        result.RowCount.ShouldBe(1234);
        result.Truncated.ShouldBeFalse();
        result.Rows.Select(row => (int)row[0]!).ShouldBe(Enumerable.Range(1, 1234));
    }

    [Fact]
    public async Task ByteLimit_WhenRowsExceedIt_StopsReadingAndFlagsTruncation()
    {
        var result = await RunAsync("select repeat('x', 1000) from generate_series(1, 100)", maxBytes: 10_500);

        result.RowCount.ShouldBe(10);
        result.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task StatementTimeout_WhenQueryRunsLonger_FailsWithQueryCanceled()
    {
        var error = await RunFailingAsync("select pg_sleep(5)", timeout: TimeSpan.FromSeconds(1));

        error.Code.ShouldBe("57014");
    }

    [Fact]
    public async Task StatementTimeout_TurnedOffFromInsideTheText_StillEndsTheRunAtTheTimeout()
    {
        // The scanner refuses ts_stat; straight to the guard, the text turns the server's statement
        // timeout off in its first FETCH, and every later row is slow: only Loupe's own deadline is left.
        const string Sql = """
            select g, (select count(*) from generate_series(1, case when g > 500 then 5000000 else 1 end))
            from ts_stat($$select to_tsvector('simple', set_config('statement_timeout', '0', false))$$) a, generate_series(1, 1000) g
            """;
        var timeout = TimeSpan.FromSeconds(3);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var error = await RunFailingAsync(Sql, timeout: timeout);

        // The deadline is the behaviour under test; the headroom covers a loaded machine (the old
        // client deadline, twice the timeout plus 2 s, let this run 8 s).
        System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(timeout + TimeSpan.FromSeconds(3));
        error.Code.ShouldBe("57014");
    }

    [Fact]
    public async Task ACancelledRun_WhoseQueryIgnoresTheCancelRequest_IsEndedOnTheServer()
    {
        var ct = TestContext.Current.CancellationToken;

        // The function catches the cancel PostgreSQL raises, as a cancel request lost in a race would
        // leave it: Npgsql gives up on the connection, and the server process would sleep on forever.
        await using (var admin = new NpgsqlConnection(database.SuperuserConnection))
        {
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand(
                """
                create or replace function loupe_test_stubborn() returns int language plpgsql as $$
                begin
                  loop
                    begin
                      perform pg_sleep(10);
                    exception when query_canceled then null;
                    end;
                  end loop;
                end $$
                """,
                admin);
            await create.ExecuteNonQueryAsync(ct);
        }

        try
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var run = _connector.ExecuteAsync(database.Target, Request("select loupe_test_stubborn()", timeout: TimeSpan.FromSeconds(300)), cancel.Token);
            await Eventually.HoldsAsync(async () => await Runs.RunsApi.ActiveQueriesAsync(database.Name) == 1, TimeSpan.FromSeconds(10), "the run's query is running");
            await cancel.CancelAsync();

            await Should.ThrowAsync<OperationCanceledException>(() => run);
            await Eventually.HoldsAsync(async () => await Runs.RunsApi.ActiveQueriesAsync(database.Name) == 0, TimeSpan.FromSeconds(10), "the server process of the cancelled run is gone");
        }
        finally
        {
            await using var admin = new NpgsqlConnection(TestPostgres.AdminConnection);
            await admin.OpenAsync(ct);
            await using var end = new NpgsqlCommand("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", admin);
            end.Parameters.Add(new NpgsqlParameter { Value = database.Name });
            await end.ExecuteNonQueryAsync(ct);
        }
    }

    [Fact]
    public async Task PrivilegedAccounts_AreRefusedWhenAConnectionOpens_UnlessAllowed_AndAReaderIsNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var roles = new ScratchRoles();
        var fileReader = await roles.CreateAsync("IN ROLE pg_read_server_files");
        var reader = await roles.CreateAsync("IN ROLE pg_read_all_data");
        var superuser = Target(database.SuperuserConnection, allowPrivilegedAccount: false);
        var member = Target(ScratchRoles.ConnectionFor(fileReader, database.Name), allowPrivilegedAccount: false);

        var run = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(superuser, Request("select 1"), ct));
        var test = await Should.ThrowAsync<QueryExecutionException>(() => _connector.TestAsync(superuser, ct));
        var schema = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ReadSchemaAsync(superuser, ct));
        var memberRun = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(member, Request("select 1"), ct));
        var readerRun = await _connector.ExecuteAsync(Target(ScratchRoles.ConnectionFor(reader, database.Name), allowPrivilegedAccount: false), Request("select count(*) from victim"), ct);
        var allowedRun = await _connector.ExecuteAsync(Target(ScratchRoles.ConnectionFor(fileReader, database.Name)), Request("select current_user"), ct);

        foreach (var refused in new[] { run, test, schema })
        {
            refused.Code.ShouldBe("datasource.privileged_account");
            refused.Message.ShouldContain("rolsuper");
            refused.Message.ShouldContain("CREATE ROLE loupe_reader");
        }

        memberRun.Code.ShouldBe("datasource.privileged_account");
        memberRun.Message.ShouldContain("pg_read_server_files");
        memberRun.Message.ShouldNotContain("rolsuper");
        readerRun.Rows.ShouldHaveSingleItem().ShouldBe([3L]);
        allowedRun.Rows.ShouldHaveSingleItem().ShouldBe([fileReader.Name]);
    }

    [Fact]
    public async Task WriteAttempt_IsRefusedAndChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await database.SnapshotAsync(ct);

        // A plain INSERT is not a query a cursor can hold: refused before it runs.
        (await RunFailingAsync("insert into victim values (99, 'pwned')")).Code.ShouldBeOneOf("42601", "25006");

        // Writes that do reach execution meet the read-only transaction.
        (await RunFailingAsync("explain analyze insert into victim values (99, 'pwned')")).Code.ShouldBe("25006");
        (await RunFailingAsync("select * from victim for update")).Code.ShouldBe("25006");

        (await database.SnapshotAsync(ct)).ShouldBe(before);
    }

    [Theory]
    [InlineData("commit; insert into victim values (99, 'pwned')")]
    [InlineData("rollback; insert into victim values (99, 'pwned')")]
    [InlineData("select 1; insert into victim values (99, 'pwned')")]
    [InlineData("select 1 from victim; set transaction read write; delete from victim")]
    [InlineData("end; create table pwned (a int)")]
    [InlineData("explain select 1; commit; insert into victim values (99, 'pwned')")]
    [InlineData("show search_path; rollback; create table pwned (a int)")]
    [InlineData("explain analyze select 1; end; delete from victim")]
    public async Task SecondStatement_AfterEndingTheTransaction_IsRefusedAndChangesNothing(string sql)
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await database.SnapshotAsync(ct);

        await RunFailingAsync(sql);
        await RunFailingAsync(sql, parameters: [new QueryParameter("p", 1)]);

        (await database.SnapshotAsync(ct)).ShouldBe(before);
    }

    [Fact]
    public async Task CopyToFileOrProgram_AsSuperuser_IsRefusedAndWritesNoFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"loupe_pwned_{Guid.NewGuid():N}");
        var program = Path.Combine(Path.GetTempPath(), $"loupe_pwned_{Guid.NewGuid():N}");

        // A read-only transaction alone would let a superuser run COPY … TO a file or program.
        (await RunFailingAsync($"copy (select 1) to '{file}'")).Code.ShouldBe("42601");
        (await RunFailingAsync($"COPY victim TO PROGRAM 'touch {program}'")).Code.ShouldBe("42601");
        (await RunFailingAsync($"do $$ begin execute 'copy (select 1) to ''{file}'''; end $$")).Code.ShouldBe("42601");

        File.Exists(file).ShouldBeFalse();
        File.Exists(program).ShouldBeFalse();
    }

    [Fact]
    public async Task LargeObjectExport_AsSuperuser_WritesNoFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = Path.Combine(Path.GetTempPath(), $"loupe_pwned_{Guid.NewGuid():N}");
        var existing = Path.Combine(Path.GetTempPath(), $"loupe_pwned_{Guid.NewGuid():N}");
        await database.ExecuteAsync("select lo_from_bytea(424242, 'pwned') where not exists (select from pg_largeobject_metadata where oid = 424242)", ct);
        var before = await database.SnapshotAsync(ct);

        await RunFailingAsync($"select lo_export(lo_create(0), '{created}')");

        // An existing large object is visible: a read-only transaction alone would let a superuser export it.
        (await RunFailingAsync($"select lo_export(424242, '{existing}')")).Code.ShouldBe("42501");
        File.Exists(created).ShouldBeFalse();
        File.Exists(existing).ShouldBeFalse();
        (await database.SnapshotAsync(ct)).ShouldBe(before);
    }

    [Fact]
    public async Task SuperuserAccount_RunsAsReadAllData_SoServerFileFunctionsAreRefused()
    {
        var user = await RunAsync("select current_user, session_user, (select count(*) from victim)");
        var readFile = await RunFailingAsync("select pg_read_file('/etc/hostname')");

        user.Rows.ShouldHaveSingleItem().ShouldBe(["pg_read_all_data", "postgres", 3L]);
        readFile.Code.ShouldBe("42501");
    }

    [Fact]
    public async Task Parameters_AreSentAsRealParameters_NotSplicedIntoTheText()
    {
        const string Hostile = "'); drop table victim; --";
        var ct = TestContext.Current.CancellationToken;
        var before = await database.SnapshotAsync(ct);

        var text = await RunAsync("select $1::text", parameters: [new QueryParameter("value", Hostile)]);
        var sum = await RunAsync("select $1::int + $2", parameters: [new QueryParameter("a", 2), new QueryParameter("b", 3)]);
        var filtered = await RunAsync("select note from victim where id = $1", parameters: [new QueryParameter("id", 2)]);

        text.Rows.ShouldHaveSingleItem()[0].ShouldBe(Hostile);
        sum.Rows.ShouldHaveSingleItem()[0].ShouldBe(5);
        filtered.Rows.ShouldHaveSingleItem()[0].ShouldBe("beta");
        (await database.SnapshotAsync(ct)).ShouldBe(before);
    }

    [Fact]
    public async Task Cancellation_EndsTheQueryInTheDatabase_AndThrowsOperationCanceled()
    {
        var ct = TestContext.Current.CancellationToken;
        var applicationName = $"loupe_cancel_{Guid.NewGuid():N}";
        var connectionString = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { ApplicationName = applicationName }.ConnectionString;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(700));

        await Should.ThrowAsync<OperationCanceledException>(() => RunOnAsync(
            connectionString, Request("select pg_sleep(30)", TimeSpan.FromSeconds(60)), cancellation.Token));

        (await database.ScalarAsync<long>(
            $"select count(*) from pg_stat_activity where application_name = '{applicationName}' and state <> 'idle'", ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Errors_NeverCarryTheConnectionPassword()
    {
        var password = VictimDatabase.SuperuserPassword;
        password.ShouldNotBeNullOrEmpty();
        var wrong = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { Password = password + "-wrong" }.ConnectionString;

        var syntax = await RunFailingAsync("selec 1");
        var authentication = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(
            Target(wrong), Request("select 1", TimeSpan.FromSeconds(5)), TestContext.Current.CancellationToken));
        var unreachable = await Should.ThrowAsync<QueryExecutionException>(() => _connector.TestAsync(
            Target(new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { Port = 1 }.ConnectionString), TestContext.Current.CancellationToken));

        syntax.Code.ShouldBe("42601");
        authentication.Code.ShouldBe("28P01");
        unreachable.Message.ShouldBe("Could not connect to the data source.");
        foreach (var error in new[] { syntax, authentication, unreachable })
        {
            error.Message.ShouldNotContain(password);
            error.ToString().ShouldNotContain(password);
            error.Message.ShouldNotContain("Host=", Case.Insensitive);
        }
    }

    [Fact]
    public async Task PooledConnection_AfterAGuardedRun_HasNoLeftoverSessionState()
    {
        var ct = TestContext.Current.CancellationToken;
        // One connection in the pool, so the next open gets the very session the guard used.
        var connectionString = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { MaxPoolSize = 1 }.ConnectionString;

        var result = await RunOnAsync(
            connectionString,
            Request(
                "select set_config('statement_timeout', '4321', false) as timeout, set_config('search_path', 'evil', false) as path, pg_advisory_lock(424242)::text as locked",
                TimeSpan.FromSeconds(3)),
            ct);
        result.Rows.ShouldHaveSingleItem()[0].ShouldBe("4321ms");

        // The session advisory lock survives a rollback; the guard resets the session before pooling it.
        (await database.ScalarAsync<long>("select count(*) from pg_locks where locktype = 'advisory' and objid = 424242", ct)).ShouldBe(0);

        var dataSource = Pool(connectionString);
        new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize.ShouldBe(1);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        (await ShowAsync(connection, "statement_timeout", ct)).ShouldBe("0");
        (await ShowAsync(connection, "lock_timeout", ct)).ShouldBe("0");
        (await ShowAsync(connection, "idle_in_transaction_session_timeout", ct)).ShouldBe("0");
        (await ShowAsync(connection, "transaction_read_only", ct)).ShouldBe("off");
        (await ShowAsync(connection, "search_path", ct)).ShouldBe("\"$user\", public");
    }

    [Fact]
    public async Task Pool_IsBoundedByTheConfiguredSize_EvenWhenTheConnectionStringAsksForMore()
    {
        var unbounded = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { MaxPoolSize = 500 }.ConnectionString;
        var small = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { MaxPoolSize = 3 }.ConnectionString;

        new NpgsqlConnectionStringBuilder(Pool(unbounded).ConnectionString).MaxPoolSize.ShouldBe(10);
        new NpgsqlConnectionStringBuilder(Pool(small).ConnectionString).MaxPoolSize.ShouldBe(3);
        new NpgsqlConnectionStringBuilder((await _connector.PoolForAsync(database.Target, TestContext.Current.CancellationToken)).ConnectionString).MaxPoolSize.ShouldBe(10);
    }

    [Fact]
    public async Task Pool_IsOnePerDataSource_RebuiltWhenItsSettingsChange_AndDisposedWhenForgotten()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.CreateVersion7();
        var first = Target(database.SuperuserConnection, id);

        var pool = await _connector.PoolForAsync(first, ct);
        (await _connector.PoolForAsync(first with { }, ct)).ShouldBeSameAs(pool);
        (await _connector.ExecuteAsync(first, Request("select 1"), ct)).RowCount.ShouldBe(1);

        var changed = first with { Settings = ConnectionSettings.Postgresql(first.Settings.Host, first.Settings.Port!.Value, "postgres", first.Settings.Username) };
        var rebuilt = await _connector.PoolForAsync(changed, ct);
        rebuilt.ShouldNotBeSameAs(pool);
        await Should.ThrowAsync<ObjectDisposedException>(async () => await pool.OpenConnectionAsync(ct));
        (await _connector.ExecuteAsync(changed, Request("select current_database()"), ct)).Rows.ShouldHaveSingleItem()[0].ShouldBe("postgres");

        var other = await _connector.PoolForAsync(database.Target, ct);
        await _connector.ForgetAsync(id);
        await Should.ThrowAsync<ObjectDisposedException>(async () => await rebuilt.OpenConnectionAsync(ct));
        await using var stillOpen = await other.OpenConnectionAsync(ct);
        (await _connector.PoolForAsync(changed, ct)).ShouldNotBeSameAs(rebuilt);
    }

    [Fact]
    public async Task Test_AnswersTheServerVersionAndLatency()
    {
        var check = await _connector.TestAsync(database.Target, TestContext.Current.CancellationToken);

        check.ServerVersion.ShouldStartWith("PostgreSQL 1");
        check.Latency.ShouldBeGreaterThan(TimeSpan.Zero);
        check.Warnings.ShouldHaveSingleItem().ShouldContain("rolsuper");
    }

    [Fact]
    public async Task Schema_ListsTablesViewsAndColumnsWithTypes_OutsideSystemSchemas()
    {
        var ct = TestContext.Current.CancellationToken;
        await database.ExecuteAsync(
            """
            CREATE SCHEMA IF NOT EXISTS shop;
            CREATE TABLE IF NOT EXISTS shop.items (id bigint PRIMARY KEY, label varchar(40), price numeric(10,2) NOT NULL, dropped int);
            ALTER TABLE shop.items DROP COLUMN IF EXISTS dropped;
            CREATE OR REPLACE VIEW shop.cheap AS SELECT id, label FROM shop.items WHERE price < 10;
            """,
            ct);

        var schema = await _connector.ReadSchemaAsync(database.Target, ct);

        schema.Schemas.Select(s => s.Name).ShouldNotContain("pg_catalog");
        schema.Schemas.Select(s => s.Name).ShouldNotContain("information_schema");
        var shop = schema.Schemas.Single(s => s.Name == "shop");
        shop.Tables.Select(t => (t.Name, t.Kind)).ShouldBe([("cheap", "view"), ("items", "table")]);
        shop.Tables[1].Columns.ShouldBe(
        [
            new ColumnInfo("id", "bigint", false),
            new ColumnInfo("label", "character varying(40)", true),
            new ColumnInfo("price", "numeric(10,2)", false),
        ]);
        schema.Schemas.Single(s => s.Name == "public").Tables.Select(t => t.Name).ShouldContain("victim");
    }

    [Fact]
    public async Task TerminatingItsOwnBackend_SurfacesAsQueryError_AndThePoolRecovers()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.SuperuserConnection) { MaxPoolSize = 1 }.ConnectionString;

        var error = await Should.ThrowAsync<QueryExecutionException>(() => RunOnAsync(
            connectionString, Request("select pg_terminate_backend(pg_backend_pid())", TimeSpan.FromSeconds(3)), TestContext.Current.CancellationToken));
        var next = await RunOnAsync(connectionString, Request("select 42", TimeSpan.FromSeconds(3)), TestContext.Current.CancellationToken);

        error.Code.ShouldNotBeNullOrEmpty();
        next.Rows.ShouldHaveSingleItem()[0].ShouldBe(42);
    }

    [Fact]
    public async Task ExplainAndShow_RunAsTheyAre()
    {
        var explain = await RunAsync("explain select * from victim");
        var analyze = await RunAsync("EXPLAIN (ANALYZE, COSTS OFF) select count(*) from victim");
        var show = await RunAsync("  show statement_timeout");

        explain.RowCount.ShouldBeGreaterThan(0);
        analyze.RowCount.ShouldBeGreaterThan(0);
        show.Rows.ShouldHaveSingleItem()[0].ShouldBe("5s");
    }

    [Fact]
    public async Task AddConnectors_RegistersOneConnectorPerType_AsSingletons()
    {
        // The test server is on this machine: the tests' allow-list, bound like any configuration.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestDataSourceHosts.Settings).Build();
        var services = new ServiceCollection().AddLogging().AddConnectors(configuration);
        await using var provider = services.BuildServiceProvider();

        var connectors = provider.GetRequiredService<IDataSourceConnectors>();
        var connector = connectors.ConnectorFor(DataSourceType.Postgresql);
        var result = await connector.ExecuteAsync(database.Target, Request("select 'ok'"), TestContext.Current.CancellationToken);

        connector.ShouldBeSameAs(provider.GetRequiredService<IDataSourceConnectors>().ConnectorFor(DataSourceType.Postgresql));
        provider.GetRequiredService<DataSourceLimits>().MaxQueryTimeoutSeconds.ShouldBe(3600);
        result.Rows.ShouldHaveSingleItem()[0].ShouldBe("ok");

        // Without the list, outside Development, the same host is refused where the connection would be made.
        await using var strict = new ServiceCollection().AddLogging().AddConnectors(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var refused = await Should.ThrowAsync<QueryExecutionException>(() => strict.GetRequiredService<IDataSourceConnectors>()
            .ConnectorFor(DataSourceType.Postgresql).ExecuteAsync(database.Target, Request("select 'ok'"), TestContext.Current.CancellationToken));
        refused.Code.ShouldBe("LP006");
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, string setting, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    [Theory]
    [InlineData("'NaN'::numeric")]
    [InlineData("'Infinity'::numeric")]
    [InlineData("'-Infinity'::numeric")]
    [InlineData("1.5e40::numeric + 0.1")]
    [InlineData("-0.000000000000000000000000000000000012345::numeric")]
    [InlineData("0::numeric(5, 3)")]
    [InlineData("-123456789012345678901234567890.123456789::numeric")]
    public async Task ANumericBeyondDecimal_IsReadAsTheTextPostgreSqlPrints(string expression)
    {
        var result = await RunAsync($"select 1 as fine, {expression} as odd, ({expression})::text as printed");

        var row = result.Rows.ShouldHaveSingleItem();
        Convert.ToString(row[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBe((string)row[2]!);
    }

    [Theory]
    [InlineData("ARRAY['NaN'::numeric]")]
    [InlineData("'{{1,NULL},{3,4}}'::int[]")]
    public async Task AValueLoupeCannotRead_FailsTheRunWithLP005_NamingTheColumn_AndACastToTextReadsIt(string expression)
    {
        var error = await Should.ThrowAsync<QueryExecutionException>(() => RunAsync($"select 1 as fine, {expression} as odd"));

        error.Code.ShouldBe(QueryExecutionException.UnreadableValueCode);
        error.Message.ShouldContain("\"odd\"");
        error.Message.ShouldContain("text");
        (await RunAsync($"select ({expression})::text as odd")).Rows.ShouldHaveSingleItem()[0].ShouldBeOfType<string>();
    }

    [Fact]
    public async Task ArraysWithNulls_AreRead_InEveryRow_WithOrWithoutNulls()
    {
        var result = await RunAsync("select case when g % 2 = 0 then array[g, null] else array[g] end as a from generate_series(1, 4) g order by g");

        result.Rows.Select(row => string.Join(",", ((Array)row[0]!).Cast<object?>().Select(e => e?.ToString() ?? "null")))
            .ShouldBe(["1", "2,null", "3", "4,null"]);
    }

    [Theory]
    [MemberData(nameof(FailingSink.Cases), MemberType = typeof(FailingSink))]
    public async Task AFailureOfTheSink_ComesOutAsItWas_NeverAsTheDataSourcesError(string kind, int failAtRow)
    {
        var failure = FailingSink.Failure(kind);

        var thrown = await Should.ThrowAsync<Exception>(() => _connector.ExecuteAsync(
            database.Target, Request("select g, g::text from generate_series(1, 2000) g", maxRows: 5000), new FailingSink(failure, failAtRow), TestContext.Current.CancellationToken));

        thrown.ShouldBeSameAs(failure);
    }

    private static QueryRequest Request(
        string sql,
        TimeSpan? timeout = null,
        int maxRows = 1000,
        long maxBytes = 10_000_000,
        IReadOnlyList<QueryParameter>? parameters = null) =>
        new(sql, parameters ?? [], timeout ?? TimeSpan.FromSeconds(5), maxRows, maxBytes);

    private static ConnectionTarget Target(string connectionString, Guid? id = null, bool allowPrivilegedAccount = true) =>
        VictimDatabase.TargetFor(connectionString, id, allowPrivilegedAccount);

    /// <summary>A pool built exactly as the connector builds them, from a connection string with test-only keys (the superuser allowed).</summary>
    private NpgsqlDataSource Pool(string connectionString)
    {
        var pool = PostgresPools.Create(connectionString, PostgresPools.DefaultMaxPoolSize, allowPrivilegedAccount: true);
        _pools.Add(pool);
        return pool;
    }

    private async Task<QueryResult> RunOnAsync(string connectionString, QueryRequest request, CancellationToken ct)
    {
        var collector = new RowCollector();
        var outcome = await _connector.ExecuteAsync(Pool(connectionString), request, collector, ct);
        return collector.ToResult(outcome);
    }

    private Task<QueryResult> RunAsync(
        string sql, int maxRows = 1000, long maxBytes = 10_000_000, IReadOnlyList<QueryParameter>? parameters = null) =>
        _connector.ExecuteAsync(database.Target, Request(sql, maxRows: maxRows, maxBytes: maxBytes, parameters: parameters), TestContext.Current.CancellationToken);

    private Task<QueryExecutionException> RunFailingAsync(
        string sql, TimeSpan? timeout = null, IReadOnlyList<QueryParameter>? parameters = null) =>
        Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(
            database.Target, Request(sql, timeout: timeout, parameters: parameters), TestContext.Current.CancellationToken));
}
