using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Runs;

/// <summary>
/// An API host that also runs the job engine in-process, over its own migrated database (emptied
/// before each test of a class deriving from <see cref="ResetBeforeEachTest"/>).
/// </summary>
public class RunsApi : IAsyncLifetime, IResettableDatabase
{
    private readonly DatabaseFixture _database = new();

    public LoupeApiFactory Factory { get; private set; } = null!;

    public IdentityDriver Identity { get; private set; } = null!;

    public string OwnerConnection => _database.OwnerConnection;

    /// <summary>The application role's connection to the same database (row-level security applies).</summary>
    public string AppConnection => _database.AppConnection;

    /// <summary>The database data sources of these tests read (a scratch database of the test server).</summary>
    public string SourceDatabase { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        SourceDatabase = await TestPostgres.CreateEmptyDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:RunInApi"] = "true",
            ["Runs:SlowRunMilliseconds"] = "500",

            // Retryable failures come back within seconds, not the default 30 s and more.
            ["Jobs:RetryBaseSeconds"] = "1",
            ["Jobs:RetryMaxSeconds"] = "2",
        };
        AddSettings(settings);
        Factory = LoupeApiFactory.For(_database, settings: settings);
        Factory.TestServices = ConfigureServices;
        Identity = new IdentityDriver(Factory);
    }

    /// <summary>A derived fixture adds or changes settings of the host here.</summary>
    protected virtual void AddSettings(IDictionary<string, string?> settings)
    {
    }

    /// <summary>A derived fixture replaces services of the host here.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public Task ResetAsync() => _database.ResetAsync();

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await TestPostgres.DropDatabaseAsync(SourceDatabase);
    }

    /// <summary>A data source reading <see cref="SourceDatabase"/> as the test server's superuser (the admin opted in: the worst case).</summary>
    public Task<Guid> CreateSourceAsync(Member admin) => CreateSourceAsync(admin, TestPostgres.AdminConnection, SourceDatabase);

    /// <summary>
    /// A PostgreSQL data source reading <paramref name="database"/> on the server and as the user of
    /// <paramref name="serverConnection"/>, a privileged account allowed unless <paramref name="allowPrivilegedAccount"/> is false.
    /// </summary>
    public static async Task<Guid> CreateSourceAsync(Member admin, string serverConnection, string database, bool allowPrivilegedAccount = true)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(serverConnection);
        using var response = await admin.Client.PostAsJsonAsync(
            "/api/v1/datasources",
            new
            {
                name = $"runs source {Guid.NewGuid():N}",
                type = "postgresql",
                settings = new { host = server.Host, port = server.Port, database, username = server.Username, password = server.Password, ssl_mode = "disable" },
                allow_privileged_account = allowPrivilegedAccount,
            },
            TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    /// <summary>Runs SQL on the Loupe database as its owner (row-level security does not apply).</summary>
    public async Task ExecuteOwnerAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every run with its job's state, for a failing test's output.</summary>
    public async Task<string> DescribeRunsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "select r.id, r.status, r.attempt, j.state, j.attempt, j.lease_owner, j.run_at, now(), j.error from query_runs r left join jobs j on j.id = r.job_id order by r.queued_at",
            connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new System.Text.StringBuilder();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.AppendLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return lines.ToString();
    }

    /// <summary>A query that keeps a backend busy for seconds without any function the scanner refuses (about 1 s per 10 million).</summary>
    public static string Busy(long rows, string marker = "") => $"select count(*) as n{marker} from generate_series(1, {rows}) g";

    /// <summary>Backends of <see cref="SourceDatabase"/> inside a statement or a transaction now: runs in progress (a pooled, finished one is idle).</summary>
    public Task<int> ActiveQueriesAsync() => ActiveQueriesAsync(SourceDatabase);

    /// <summary>The backends <see cref="ActiveQueriesAsync()"/> counts, for a failing test's message.</summary>
    public async Task<string> DescribeActiveQueriesAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.AdminConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "select string_agg(format('%s %s %s %s: %s', pid, backend_type, state, now() - query_start, left(query, 80)), E'\n') from pg_stat_activity where datname = $1 and state <> 'idle' and pid <> pg_backend_pid()",
            connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = SourceDatabase });
        return (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)) as string ?? "none";
    }

    /// <summary>Backends of <paramref name="database"/> inside a statement or a transaction now.</summary>
    public static async Task<int> ActiveQueriesAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestPostgres.AdminConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "select count(*) from pg_stat_activity where datname = $1 and state <> 'idle' and pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = database });
        return (int)(long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Posts an ad-hoc run and answers the run (202 expected unless <paramref name="expected"/> says otherwise).</summary>
    public static async Task<JsonElement> StartAsync(Member member, Guid dataSourceId, string sql, object? extra = null, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var body = new Dictionary<string, object?> { ["datasource_id"] = dataSourceId, ["sql"] = sql };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        using var response = await member.Client.PostAsJsonAsync("/api/v1/runs", body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected, text);
        var run = JsonDocument.Parse(text).RootElement;
        if (expected == HttpStatusCode.Accepted)
        {
            response.Headers.Location!.ToString().ShouldEndWith($"/api/v1/runs/{run.GetProperty("id").GetGuid()}");
        }

        return run;
    }

    /// <summary>Polls the run until it has finished (or the generous functional bound passes).</summary>
    public static Task<JsonElement> FinishedAsync(Member member, Guid runId, TimeSpan? within = null) =>
        Eventually.HoldsAsync(
            () => IdentityApi.GetOkAsync(member.Client, $"/api/v1/runs/{runId}"),
            run => run.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled" or "timed_out",
            within ?? TimeSpan.FromSeconds(60),
            $"run {runId} finishes");

    /// <summary>Polls until the run is in <paramref name="status"/>.</summary>
    public static Task<JsonElement> ReachesAsync(Member member, Guid runId, string status, TimeSpan? within = null) =>
        Eventually.HoldsAsync(
            () => IdentityApi.GetOkAsync(member.Client, $"/api/v1/runs/{runId}"),
            run => run.GetProperty("status").GetString() == status,
            within ?? TimeSpan.FromSeconds(30),
            $"run {runId} reaches {status}");
}
