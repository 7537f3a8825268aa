using System.Diagnostics;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors;
using Loupe.Infrastructure.Connectors.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>The SQLite connector on real files: the guard's limits and refusals, and the data folder's walls.</summary>
public sealed class SqliteConnectorTests(SqliteFolder folder) : IClassFixture<SqliteFolder>
{
    private const string Sample = "sample.db";

    private readonly SqliteConnector _connector = Connector(folder.Folder);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Select_ReturnsRowsWithDeclaredTypes()
    {
        var result = await RunAsync("select id, region, amount, note from sales where id <= 3 order by id");

        result.Columns.ShouldBe([
            new QueryColumn("id", "INTEGER"),
            new QueryColumn("region", "TEXT"),
            new QueryColumn("amount", "REAL"),
            new QueryColumn("note", "text"),
        ]);
        result.RowCount.ShouldBe(3);
        result.Truncated.ShouldBeFalse();
        result.Rows[0].ShouldBe([1L, "south", 1.5, "row 1"]);
        result.Rows[2].ShouldBe([3L, "north", 4.5, "row 3"]);
    }

    [Fact]
    public async Task Select_WithoutDeclaredTypes_NamesTheStorageClassOfTheFirstValue()
    {
        var result = await RunAsync("select 1 as i, 1.5 as r, 'a' as t, x'00ff' as b, null as n, name, photo from people order by name");

        result.Columns.Select(column => column.TypeName).ShouldBe(["integer", "real", "text", "blob", "null", "varchar(40)", "BLOB"]);
        result.Rows[0].ShouldBe([1L, 1.5, "a", new byte[] { 0x00, 0xff }, null, "Ada", new byte[] { 0x00, 0xff }]);
        result.Rows[1][6].ShouldBeNull();
    }

    [Fact]
    public async Task Select_OfNoRows_StillNamesTheColumns()
    {
        var result = await RunAsync("select id, 1 + 1 as two from sales where 0");

        result.RowCount.ShouldBe(0);
        result.Columns.ShouldBe([new QueryColumn("id", "INTEGER"), new QueryColumn("two", "null")]);
    }

    [Fact]
    public async Task RowLimit_WhenMoreRowsExist_ReturnsLimitAndFlagsTruncation()
    {
        var result = await RunAsync("select id from sales order by id", maxRows: 100);

        result.RowCount.ShouldBe(100);
        result.Truncated.ShouldBeTrue();
        result.Rows[99][0].ShouldBe(100L);
    }

    [Fact]
    public async Task RowLimit_WhenExactlyLimitRowsExist_IsNotTruncated()
    {
        var all = await RunAsync("select id from sales", maxRows: 1000);
        var none = await RunAsync("select id from sales", maxRows: 0);

        all.RowCount.ShouldBe(1000);
        all.Truncated.ShouldBeFalse();
        none.RowCount.ShouldBe(0);
        none.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task ByteLimit_WhenRowsExceedIt_StopsReadingAndFlagsTruncation()
    {
        var result = await RunAsync("select substr(hex(zeroblob(500)), 1, 1000) from sales limit 100", maxBytes: 10_500);

        result.RowCount.ShouldBe(10);
        result.Truncated.ShouldBeTrue();
    }

    [Fact]
    public async Task StatementTimeout_WhenQueryRunsLonger_FailsWithQueryCanceled()
    {
        var watch = Stopwatch.StartNew();

        var error = await RunFailingAsync(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c", timeout: TimeSpan.FromSeconds(1));

        error.Code.ShouldBe("57014");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task StatementTimeout_WhileRowsAreRead_FailsWithQueryCanceled()
    {
        // Each row is cheap, the run is not: the limit bounds the whole run, not one step.
        var sink = new CountingSink();

        var error = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(
            SqliteFolder.Target(Sample),
            new QueryRequest("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT x FROM c", [], TimeSpan.FromMilliseconds(500), int.MaxValue, long.MaxValue),
            sink,
            Ct));

        error.Code.ShouldBe("57014");
        sink.Rows.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task CallerCancellation_CancelsTheQuery()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => _connector.ExecuteAsync(
            SqliteFolder.Target(Sample),
            Request("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c", timeout: TimeSpan.FromMinutes(1)),
            cancel.Token));
    }

    [Theory]
    [InlineData("select 1; select 2")]
    [InlineData("select 1;select 2;")]
    [InlineData("select 1; -- x\n select 2")]
    [InlineData("select 1; insert into sales (region) values ('x')")]
    [InlineData("select 1; attach database 'x.db' as x")]
    [InlineData("select 1; selec 2")]
    [InlineData("select 1\0; delete from sales")]
    [InlineData("select 1;\0")]
    public async Task SecondStatement_IsRefused(string sql) =>
        (await RunFailingAsync(sql)).Code.ShouldBe("42601");

    [Theory]
    [InlineData("select 1;")]
    [InlineData("select 1 ;  ")]
    [InlineData("select 1; -- the end")]
    [InlineData("select 1; /* the end */ ;")]
    [InlineData("  -- why\n select 1")]
    public async Task OneStatement_FollowedByNothingButCommentsAndSemicolons_Runs(string sql) =>
        (await RunAsync(sql)).Rows.ShouldHaveSingleItem().ShouldBe([1L]);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("-- nothing")]
    [InlineData(";")]
    public async Task NoStatement_IsRefused(string sql) =>
        (await RunFailingAsync(sql)).Code.ShouldBe("42601");

    [Theory]
    [InlineData("insert into sales (region) values ('pwned')", "25006")]
    [InlineData("update sales set amount = 0", "25006")]
    [InlineData("delete from sales", "25006")]
    [InlineData("replace into people values ('x', null, null)", "25006")]
    [InlineData("create table pwned (a)", "25006")]
    [InlineData("create temp table pwned (a)", "25006")]
    [InlineData("create index pwned on sales (amount)", "25006")]
    [InlineData("create view pwned as select 1", "25006")]
    [InlineData("create trigger pwned after insert on sales begin delete from sales; end", "25006")]
    [InlineData("drop table people", "25006")]
    [InlineData("drop view big_sales", "25006")]
    [InlineData("alter table sales add column pwned", "25006")]
    [InlineData("pragma writable_schema = on", "42501")]
    [InlineData("pragma query_only = off", "42501")]
    [InlineData("pragma journal_mode = wal", "42501")]
    [InlineData("pragma user_version = 42", "42501")]
    [InlineData("vacuum", "25006")]
    [InlineData("reindex", "25006")]
    [InlineData("analyze", "25006")]
    [InlineData("begin immediate", "42501")]
    [InlineData("savepoint a", "42501")]
    [InlineData("with x as (select 1) insert into sales (region) select 'pwned' from x", "25006")]
    [InlineData("insert into sales (region) values ('pwned') returning id", "25006")]
    public async Task Write_IsRefused_AndChangesNothing(string sql, string code)
    {
        var before = folder.Listing();

        (await RunFailingAsync(sql)).Code.ShouldBe(code);

        SqliteFolder.Hash(Path.Combine(folder.Folder, Sample)).ShouldBe(folder.SampleHash);
        folder.Listing().ShouldBe(before);
    }

    [Fact]
    public async Task VacuumInto_IsRefused_AndCreatesNoFile()
    {
        var target = Path.Combine(folder.Root, $"copy-{Guid.NewGuid():N}.db");
        var inside = $"copy-{Guid.NewGuid():N}.db";

        (await RunFailingAsync($"VACUUM INTO '{target}'")).Code.ShouldBe("25006");
        (await RunFailingAsync($"vacuum main into '{inside}'")).Code.ShouldBe("25006");

        File.Exists(target).ShouldBeFalse();
        File.Exists(Path.Combine(folder.Folder, inside)).ShouldBeFalse();
        File.Exists(inside).ShouldBeFalse();
    }

    [Fact]
    public async Task Attach_OfAFileOutsideTheFolder_IsRefused()
    {
        var outside = Path.Combine(folder.Root, "outside.db");
        var created = Path.Combine(folder.Root, $"attached-{Guid.NewGuid():N}.db");

        (await RunFailingAsync($"ATTACH DATABASE '{outside}' AS x")).Code.ShouldBe("42501");
        (await RunFailingAsync("ATTACH DATABASE '/etc/x' AS x")).Code.ShouldBe("42501");
        (await RunFailingAsync($"attach '{created}' as x")).Code.ShouldBe("42501");
        (await RunFailingAsync($"attach 'file:{outside}?mode=ro' as x")).Code.ShouldBe("42501");
        (await RunFailingAsync("attach ':memory:' as x")).Code.ShouldBe("42501");
        (await RunFailingAsync("detach main")).Code.ShouldBe("42501");

        File.Exists(created).ShouldBeFalse();
        SqliteFolder.Hash(outside).ShouldBe(folder.OutsideHash);
    }

    [Fact]
    public void WithoutTheAuthorizer_TheConnectionItselfStillRefusesWritesAttachAndExtensions()
    {
        var copy = Path.Combine(folder.Root, $"copy-{Guid.NewGuid():N}.db");
        var before = folder.Listing();
        using var session = SqliteSession.Open(SqliteFiles.Resolve(folder.Folder, Sample), TimeSpan.FromSeconds(5), Ct);
        using var command = session.CreateCommand("select 1");
        raw.sqlite3_set_authorizer(command.Connection!.Handle, (strdelegate_authorizer?)null, null);

        object? Run(string sql)
        {
            command.CommandText = sql;
            return command.ExecuteScalar();
        }

        Run("pragma query_only").ShouldBe(1L);
        Run("pragma trusted_schema").ShouldBe(0L);
        Should.Throw<SqliteException>(() => Run("insert into sales (region) values ('pwned')")).SqliteErrorCode.ShouldBe(raw.SQLITE_READONLY);
        Should.Throw<SqliteException>(() => Run("create temp table t (a)"));
        Should.Throw<SqliteException>(() => Run($"attach '{Path.Combine(folder.Root, "outside.db")}' as o")).Message.ShouldContain("too many attached databases");
        Should.Throw<SqliteException>(() => Run($"vacuum into '{copy}'"));
        Should.Throw<SqliteException>(() => Run("select load_extension('x')")).Message.ShouldContain("not authorized");

        File.Exists(copy).ShouldBeFalse();
        SqliteFolder.Hash(Path.Combine(folder.Folder, Sample)).ShouldBe(folder.SampleHash);
        folder.Listing().ShouldBe(before);
    }

    [Fact]
    public async Task LoadExtension_IsRefused()
    {
        (await RunFailingAsync("select load_extension('x')")).Code.ShouldBe("42501");
        (await RunFailingAsync("select load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0', 'sqlite3_x_init')")).Code.ShouldBe("42501");
    }

    [Fact]
    public async Task HostPaths_AreNotRevealed()
    {
        (await RunFailingAsync("pragma database_list")).Code.ShouldBe("42501");
        (await RunFailingAsync("select file from pragma_database_list")).Code.ShouldBe("42501");
        (await RunFailingAsync("select * from pragma_database_list()")).Code.ShouldBe("42501");
    }

    [Fact]
    public async Task DescribingPragmas_AndReadingFunctions_AreAllowed()
    {
        var info = await RunAsync("pragma table_info(sales)");
        var tableValued = await RunAsync("select name from pragma_table_info('people') order by cid");
        var json = await RunAsync("select value from json_each('[1, 2, 3]')");
        var schema = await RunAsync("select count(*) from sqlite_schema");

        info.RowCount.ShouldBe(4);
        tableValued.Rows.Select(row => row[0]).ShouldBe(["name", "born", "photo"]);
        json.RowCount.ShouldBe(3);
        ((long)schema.Rows[0][0]!).ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task Parameters_AreBoundAsDollarNumbers()
    {
        var sum = await RunAsync("select $1 + $2, $1 || 'x'", parameters: [new QueryParameter("a", 40), new QueryParameter("b", 2)]);
        var hostile = await RunAsync("select $1", parameters: [new QueryParameter("p", "'); drop table sales; --")]);
        var filtered = await RunAsync("select count(*) from sales where region = $1 and id <= $2", parameters: [new QueryParameter("r", "north"), new QueryParameter("n", 9)]);
        var nulls = await RunAsync("select $1 is null", parameters: [new QueryParameter("p", null)]);

        sum.Rows.ShouldHaveSingleItem().ShouldBe([42L, "40x"]);
        hostile.Rows.ShouldHaveSingleItem().ShouldBe(["'); drop table sales; --"]);
        filtered.Rows.ShouldHaveSingleItem().ShouldBe([3L]);
        nulls.Rows.ShouldHaveSingleItem().ShouldBe([1L]);
    }

    [Theory]
    [InlineData("select $2")]
    [InlineData("select ?")]
    [InlineData("select ?1")]
    [InlineData("select :name")]
    [InlineData("select @name")]
    [InlineData("select $01")]
    public async Task Parameters_NotGivenAsDollarNumbers_AreRefused(string sql) =>
        (await RunFailingAsync(sql, parameters: [new QueryParameter("p", 1)])).Code.ShouldBe("42P02");

    [Fact]
    public async Task Errors_HaveTheSqlStateOfTheSameMeaning()
    {
        (await RunFailingAsync("selec 1")).Code.ShouldBe("42601");
        (await RunFailingAsync("select * from nowhere")).Code.ShouldBe("42P01");
        (await RunFailingAsync("select no_such_column from sales")).Code.ShouldBe("42703");
        (await RunFailingAsync("select no_such_function(1)")).Code.ShouldBe("42883");
    }

    [Theory]
    [InlineData("inside-link.db")]
    [InlineData("sub/up-link.db")]
    [InlineData("sub/nested.db")]
    public async Task Links_AndFolders_ThatStayInsideTheFolder_AreFollowed(string path)
    {
        var result = await _connector.ExecuteAsync(SqliteFolder.Target(path), Request("select count(*) from sales"), Ct);

        result.Rows.ShouldHaveSingleItem().ShouldBe([1000L]);
    }

    [Fact]
    public async Task WalModeDatabase_IsRead_AndOnlyItsSidecarFilesAppear()
    {
        var before = folder.Listing();

        var result = await _connector.ExecuteAsync(SqliteFolder.Target("wal.db"), Request("select sum(a) from w"), Ct);
        var schema = await _connector.ReadSchemaAsync(SqliteFolder.Target("wal.db"), Ct);

        result.Rows.ShouldHaveSingleItem().ShouldBe([3L]);
        schema.TableCount.ShouldBe(1);
        SqliteFolder.Hash(Path.Combine(folder.Folder, "wal.db")).ShouldBe(folder.WalHash);

        // A reader of a WAL database needs its -wal and -shm files; SQLite makes them when it may.
        folder.Listing().Except(before).ShouldAllBe(path => path.EndsWith("wal.db-wal", StringComparison.Ordinal) || path.EndsWith("wal.db-shm", StringComparison.Ordinal));
        new FileInfo(Path.Combine(folder.Folder, "wal.db-wal")).Length.ShouldBe(0);
    }

    [Fact]
    public async Task Folder_ConfiguredThroughALink_IsFollowed()
    {
        var connector = Connector(Path.Combine(folder.Root, "data-link"));

        var result = await connector.ExecuteAsync(SqliteFolder.Target("inside-link.db"), Request("select count(*) from people"), Ct);

        result.Rows.ShouldHaveSingleItem().ShouldBe([2L]);
        (await Should.ThrowAsync<QueryExecutionException>(() => connector.TestAsync(SqliteFolder.Target("outside-link.db"), Ct))).Code.ShouldBe("42501");
    }

    [Theory]
    [InlineData("outside-link.db", "42501")]
    [InlineData("absolute-link.db", "42501")]
    [InlineData("outdir/secret.db", "42501")]
    [InlineData("chain-a.db", "42501")]
    [InlineData("loop-a.db", "58P01")]
    [InlineData("missing.db", "58P01")]
    [InlineData("sub/missing.db", "58P01")]
    [InlineData("nowhere/missing.db", "58P01")]
    [InlineData("adir", "58P01")]
    [InlineData("sub", "58P01")]
    [InlineData("sample.db/x", "58P01")]
    public async Task Paths_ThatLeaveTheFolderOrNameNoFile_AreRefused_WithoutTheHostPath(string path, string code)
    {
        var target = SqliteFolder.Target(path);

        var run = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(target, Request("select 1"), Ct));
        var test = await Should.ThrowAsync<QueryExecutionException>(() => _connector.TestAsync(target, Ct));
        var schema = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ReadSchemaAsync(target, Ct));

        foreach (var error in new[] { run, test, schema })
        {
            error.Code.ShouldBe(code);
            error.Message.ShouldContain($"'{path}'");
            ShouldNotRevealTheHost(error.Message);
        }
    }

    [Theory]
    [InlineData("../outside.db")]
    [InlineData("sub/../../outside.db")]
    [InlineData("./sample.db/../../outside.db")]
    [InlineData("/etc/passwd")]
    [InlineData("//etc/passwd")]
    [InlineData("")]
    [InlineData("a\0b.db")]
    [InlineData("file:sample.db?mode=rwc")]
    public void Paths_ThatTheDomainRefuses_AreRefusedByTheConnectorToo(string path)
    {
        Should.Throw<DomainException>(() => ConnectionSettings.Sqlite(path));

        var error = Should.Throw<QueryExecutionException>(() => SqliteFiles.Resolve(folder.Folder, path));

        error.Code.ShouldBe("42501");
        ShouldNotRevealTheHost(error.Message);
    }

    [Fact]
    public void AbsolutePathOfAFileInsideTheFolder_IsRefused() =>
        Should.Throw<QueryExecutionException>(() => SqliteFiles.Resolve(folder.Folder, Path.Combine(folder.Folder, Sample))).Code.ShouldBe("42501");

    [Fact]
    public void Fifo_InsideTheFolder_IsNotAFile()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "FIFOs are made with mkfifo on Linux.");
        var name = $"fifo-{Guid.NewGuid():N}";
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(folder.Folder, name)))
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.ShouldBe(0);
        }

        try
        {
            var error = Should.Throw<QueryExecutionException>(() => SqliteFiles.Resolve(folder.Folder, name));

            error.Code.ShouldBe("58P01");
            error.Message.ShouldContain("not a regular file");
        }
        finally
        {
            File.Delete(Path.Combine(folder.Folder, name));
        }
    }

    [Fact]
    public void RealPath_FollowsLinksAsTheKernelDoes()
    {
        var realRoot = SqliteFiles.RealPath(folder.Root);

        SqliteFiles.RealPath(Path.Combine(folder.Folder, "inside-link.db")).ShouldBe(Path.Combine(realRoot, "data", Sample));
        SqliteFiles.RealPath(Path.Combine(folder.Folder, "chain-a.db")).ShouldBe(Path.Combine(realRoot, "outside.db"));
        SqliteFiles.RealPath(Path.Combine(folder.Folder, "outdir", "secret.db")).ShouldBe(Path.Combine(realRoot, "outsidedir", "secret.db"));

        // `..` after a link climbs from its target: data/outdir/.. is root, not data.
        SqliteFiles.RealPath(Path.Combine(folder.Folder, "outdir", "..", "outside.db")).ShouldBe(Path.Combine(realRoot, "outside.db"));
        Should.Throw<IOException>(() => SqliteFiles.RealPath(Path.Combine(folder.Folder, "loop-a.db")));
    }

    [Fact]
    public async Task NoFolderConfigured_RefusesEverySqliteDataSource()
    {
        var connector = Connector(null);
        var target = SqliteFolder.Target(Sample);

        var errors = new[]
        {
            await Should.ThrowAsync<QueryExecutionException>(() => connector.ExecuteAsync(target, Request("select 1"), Ct)),
            await Should.ThrowAsync<QueryExecutionException>(() => connector.TestAsync(target, Ct)),
            await Should.ThrowAsync<QueryExecutionException>(() => connector.ReadSchemaAsync(target, Ct)),
        };

        errors.ShouldAllBe(error => error.Code == "0A000"
            && error.Message == "SQLite data sources are not enabled on this instance (DataSources:SqliteFolder).");
    }

    [Fact]
    public async Task MissingFolder_IsRefused_WithoutItsPath()
    {
        var connector = Connector(Path.Combine(folder.Root, "no-such-folder"));

        var error = await Should.ThrowAsync<QueryExecutionException>(() => connector.TestAsync(SqliteFolder.Target(Sample), Ct));

        error.Code.ShouldBe("58P01");
        ShouldNotRevealTheHost(error.Message);
    }

    [Fact]
    public async Task TestAsync_GivesTheSqliteVersion()
    {
        var check = await _connector.TestAsync(SqliteFolder.Target(Sample), Ct);

        check.ServerVersion.ShouldStartWith("SQLite 3.");
        check.Latency.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task TestAsync_OfAFileThatIsNoDatabase_Fails()
    {
        var name = $"text-{Guid.NewGuid():N}.db";
        await File.WriteAllTextAsync(Path.Combine(folder.Folder, name), "this is not a database, but long enough to have a header of one", Ct);
        try
        {
            var error = await Should.ThrowAsync<QueryExecutionException>(() => _connector.TestAsync(SqliteFolder.Target(name), Ct));

            error.Code.ShouldBe("XX001");
            ShouldNotRevealTheHost(error.Message);
        }
        finally
        {
            File.Delete(Path.Combine(folder.Folder, name));
        }
    }

    [Fact]
    public async Task ReadSchema_ListsTablesAndViewsByName_WithColumnsInOrder()
    {
        var schema = await _connector.ReadSchemaAsync(SqliteFolder.Target(Sample), Ct);

        var main = schema.Schemas.ShouldHaveSingleItem();
        main.Name.ShouldBe("main");
        main.Tables.Select(table => (table.Name, table.Kind)).ShouldBe([("big_sales", "view"), ("people", "table"), ("sales", "table")]);
        main.Tables[1].Columns.ShouldBe([
            new ColumnInfo("name", "varchar(40)", false),
            new ColumnInfo("born", "date", true),
            new ColumnInfo("photo", "BLOB", true),
        ]);
        main.Tables[2].Columns.ShouldBe([
            new ColumnInfo("id", "INTEGER", true),
            new ColumnInfo("region", "TEXT", false),
            new ColumnInfo("amount", "REAL", true),
            new ColumnInfo("note", string.Empty, true),
        ]);
        main.Tables[0].Columns.Select(column => column.Name).ShouldBe(["id", "amount"]);
        schema.TableCount.ShouldBe(3);
    }

    [Fact]
    public async Task ReadSchema_OfAViewThatCannotBeRead_ListsItWithoutColumns()
    {
        var schema = await _connector.ReadSchemaAsync(SqliteFolder.Target("broken.db"), Ct);

        var view = schema.Schemas.ShouldHaveSingleItem().Tables.ShouldHaveSingleItem();
        view.Name.ShouldBe("bv");
        view.Kind.ShouldBe("view");
        view.Columns.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_RefusesAnyConnectionString()
    {
        var parsed = _connector.Parse("Data Source=/etc/passwd");

        parsed.Settings.ShouldBeNull();
        parsed.Password.ShouldBeNull();
        var error = parsed.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("connection_string");
        error.Code.ShouldBe("datasource.connection_string_unsupported");
        error.Message.ShouldBe("SQLite data sources take settings.path, not a connection string.");
    }

    [Fact]
    public async Task ForgetAsync_HasNothingToDrop() =>
        await _connector.ForgetAsync(Guid.CreateVersion7());

    [Fact]
    public async Task PostgresTargets_AreNotServed() =>
        await Should.ThrowAsync<ArgumentException>(() => _connector.TestAsync(
            new ConnectionTarget(Guid.CreateVersion7(), ConnectionSettings.Postgresql("db", 5432, "d", "u"), null), Ct));

    [Fact]
    public async Task HostileBattery_LeavesTheFilesAsTheyWere()
    {
        var before = folder.Listing();
        string[] hostile =
        [
            "insert into sales (region) values ('pwned')",
            "pragma writable_schema = on",
            "pragma query_only = off",
            "select 1; pragma query_only = off; delete from sales",
            $"vacuum into '{Path.Combine(folder.Root, "battery.db")}'",
            $"attach '{Path.Combine(folder.Root, "outside.db")}' as o",
            "select load_extension('x')",
            "pragma journal_mode = wal",
            "pragma locking_mode = exclusive",
            "create temp table t (a)",
            "begin exclusive",
        ];

        foreach (var sql in hostile)
        {
            await RunFailingAsync(sql);
        }

        (await RunAsync("select count(*) from sales")).Rows.ShouldHaveSingleItem().ShouldBe([1000L]);
        await _connector.ReadSchemaAsync(SqliteFolder.Target(Sample), Ct);
        await _connector.TestAsync(SqliteFolder.Target(Sample), Ct);
        SqliteFolder.Hash(Path.Combine(folder.Folder, Sample)).ShouldBe(folder.SampleHash);
        SqliteFolder.Hash(Path.Combine(folder.Root, "outside.db")).ShouldBe(folder.OutsideHash);
        folder.Listing().ShouldBe(before);
    }

    [Fact]
    public async Task AddConnectors_RegistersTheSqliteConnector_WithTheConfiguredFolder()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataSources:SqliteFolder"] = folder.Folder })
            .Build();
        var services = new ServiceCollection().AddLogging().AddConnectors(configuration);
        await using var provider = services.BuildServiceProvider();

        var connector = provider.GetRequiredService<IDataSourceConnectors>().ConnectorFor(DataSourceType.Sqlite);
        var result = await connector.ExecuteAsync(SqliteFolder.Target(Sample), Request("select count(*) from people"), Ct);

        connector.ShouldBeOfType<SqliteConnector>();
        connector.ShouldBeSameAs(provider.GetRequiredService<IDataSourceConnectors>().ConnectorFor(DataSourceType.Sqlite));
        result.Rows.ShouldHaveSingleItem().ShouldBe([2L]);
    }

    private static SqliteConnector Connector(string? sqliteFolder) =>
        new(NullLogger<SqliteConnector>.Instance, Options.Create(new DataSourceOptions { SqliteFolder = sqliteFolder }));

    [Theory]
    [MemberData(nameof(FailingSink.Cases), MemberType = typeof(FailingSink))]
    public async Task AFailureOfTheSink_ComesOutAsItWas_NeverAsTheDataSourcesError(string kind, int failAtRow)
    {
        var failure = FailingSink.Failure(kind);

        var thrown = await Should.ThrowAsync<Exception>(() => _connector.ExecuteAsync(
            SqliteFolder.Target(Sample), Request("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 2000) SELECT x, x || '' FROM c", maxRows: 5000), new FailingSink(failure, failAtRow), TestContext.Current.CancellationToken));

        thrown.ShouldBeSameAs(failure);
    }

    private static QueryRequest Request(
        string sql,
        TimeSpan? timeout = null,
        int maxRows = 1000,
        long maxBytes = 10_000_000,
        IReadOnlyList<QueryParameter>? parameters = null) =>
        new(sql, parameters ?? [], timeout ?? TimeSpan.FromSeconds(5), maxRows, maxBytes);

    private void ShouldNotRevealTheHost(string message)
    {
        message.ShouldNotContain(folder.Root);
        message.ShouldNotContain(SqliteFiles.RealPath(folder.Root));
        message.ShouldNotContain(Path.GetTempPath().TrimEnd('/'));
    }

    private Task<QueryResult> RunAsync(
        string sql, int maxRows = 1000, long maxBytes = 10_000_000, IReadOnlyList<QueryParameter>? parameters = null) =>
        _connector.ExecuteAsync(SqliteFolder.Target(Sample), Request(sql, maxRows: maxRows, maxBytes: maxBytes, parameters: parameters), Ct);

    private async Task<QueryExecutionException> RunFailingAsync(string sql, TimeSpan? timeout = null, IReadOnlyList<QueryParameter>? parameters = null)
    {
        var error = await Should.ThrowAsync<QueryExecutionException>(() => _connector.ExecuteAsync(
            SqliteFolder.Target(Sample), Request(sql, timeout: timeout, parameters: parameters), Ct));
        ShouldNotRevealTheHost(error.Message);
        return error;
    }

    /// <summary>Counts rows and keeps none.</summary>
    private sealed class CountingSink : IRowSink
    {
        public long Rows { get; private set; }

        public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask RowAsync(object?[] row, CancellationToken ct)
        {
            Rows++;
            return ValueTask.CompletedTask;
        }
    }
}
