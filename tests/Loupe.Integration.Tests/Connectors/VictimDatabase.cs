using System.Text.RegularExpressions;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>
/// A scratch database the guard connects to AS SUPERUSER (the worst case: an admin registered
/// Loupe's data source with a superuser account), holding the tables the attack corpus aims at.
/// </summary>
public sealed partial class VictimDatabase : IAsyncLifetime
{
    private const string Setup = """
        CREATE TABLE victim (id int, note text);
        INSERT INTO victim VALUES (1, 'alpha'), (2, 'beta'), (3, 'gamma; drop table victim');
        CREATE TABLE t (id int, a int, b int, y int, z int, name text);
        INSERT INTO t VALUES (1, 10, 100, 1, 1, 'one'), (2, 20, 200, 2, 2, 'two'), (3, 30, 300, 3, 3, 'three');
        CREATE TABLE s (id int);
        INSERT INTO s VALUES (1), (2);
        CREATE TABLE u (y int);
        INSERT INTO u VALUES (1);
        """;

    private const string SnapshotSql = """
        SELECT concat_ws(E'\n',
          'public relations: ' || (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace),
          'public functions: ' || (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace),
          'schemas: ' || (SELECT count(*) FROM pg_namespace),
          'extensions: ' || (SELECT count(*) FROM pg_extension),
          'large objects: ' || (SELECT count(*) FROM pg_largeobject_metadata),
          -- Other test classes create and drop their own loupe_e_/loupe_t_… databases meanwhile.
          'databases: ' || (SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database
                            WHERE datname = current_database() OR datname !~ '^loupe_(e|t|template)_[0-9a-f]{32}$'),
          -- … and their own loupe_role_… roles (ScratchRoles).
          'roles: ' || (SELECT md5(string_agg(concat_ws(':', rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolconfig::text), ',' ORDER BY rolname)) FROM pg_roles
                        WHERE rolname !~ '^loupe_role_[0-9a-f]{32}$'),
          'role settings: ' || (SELECT count(*) FROM pg_db_role_setting),
          'victim: ' || (SELECT count(*) || ' ' || md5(string_agg(v::text, '|' ORDER BY v::text)) FROM victim v),
          't: ' || (SELECT count(*) || ' ' || md5(string_agg(x::text, '|' ORDER BY x::text)) FROM t x),
          's: ' || (SELECT count(*) || ' ' || md5(string_agg(x::text, '|' ORDER BY x::text)) FROM s x),
          'u: ' || (SELECT count(*) || ' ' || md5(string_agg(x::text, '|' ORDER BY x::text)) FROM u x))
        """;

    private string? _name;
    private ConnectionTarget? _target;

    public string Name => _name ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>Superuser connection string for the scratch database.</summary>
    public string SuperuserConnection => new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = Name }.ConnectionString;

    /// <summary>
    /// The scratch database as a data source connecting as superuser, which an admin allowed (the worst
    /// case Loupe accepts; one id, so one pool per connector).
    /// </summary>
    public ConnectionTarget Target => _target ??= TargetFor(SuperuserConnection);

    /// <summary>A data source target from a connection string, as an admin would enter its settings (privileged accounts allowed unless told).</summary>
    public static ConnectionTarget TargetFor(string connectionString, Guid? id = null, bool allowPrivilegedAccount = true)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var settings = ConnectionSettings.Postgresql(builder.Host, builder.Port, builder.Database, builder.Username, PostgresSslMode.Disable);
        return new ConnectionTarget(id ?? Guid.CreateVersion7(), settings, builder.Password, allowPrivilegedAccount);
    }

    /// <summary>The superuser's password, which must never appear in an error.</summary>
    public static string SuperuserPassword => new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection).Password ?? string.Empty;

    /// <summary>The absolute file paths the malicious corpus names (e.g. COPY … TO '/tmp/x').</summary>
    public static IReadOnlyList<string> CorpusFilePaths { get; } =
        [.. SqlCorpusPaths(Loupe.Domain.Tests.Queries.Safety.SqlCorpus.Malicious)];

    public async ValueTask InitializeAsync()
    {
        _name = await TestPostgres.CreateEmptyDatabaseAsync();
        await ExecuteAsync(Setup, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(_name);
        }
    }

    /// <summary>Catalog counts and table checksums; any change by a guarded run shows up here.</summary>
    public async Task<string> SnapshotAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(SnapshotSql, connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Existence, size and write time of every file path; compared before and after.</summary>
    public static string FileSnapshot(IEnumerable<string> paths) =>
        string.Join('\n', paths.Select(path =>
        {
            var file = new FileInfo(path);
            return file.Exists ? $"{path}: {file.Length} bytes, {file.LastWriteTimeUtc:O}" : $"{path}: absent";
        }));

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        // Its own unpooled connection: never shares a session with the guard's pool.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(SuperuserConnection) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static IEnumerable<string> SqlCorpusPaths(IEnumerable<string> texts) =>
        texts.SelectMany(text => QuotedAbsolutePath().Matches(text).Select(match => match.Groups[1].Value)).Distinct(StringComparer.Ordinal);

    [GeneratedRegex("'(/[^'\\s]*)'")]
    private static partial Regex QuotedAbsolutePath();
}
