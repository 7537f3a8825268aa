using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>
/// A migrated scratch database with one organization, one PostgreSQL data source pointing at the same
/// database, and <c>bench_source</c>: the rows the benchmarks store and the baselines read (owned by the
/// owner role, read through the connector as the owner).
/// </summary>
internal sealed class BenchDatabase
{
    /// <summary>Six columns: int, bigint, numeric, text (with commas and quotes), timestamptz, bool.</summary>
    public const string SourceColumns = "id, amount, price, label, created_at, flag";

    private BenchDatabase(BenchSettings settings, string name, Guid organizationId, Guid dataSourceId)
    {
        Settings = settings;
        Name = name;
        OrganizationId = organizationId;
        DataSourceId = dataSourceId;
    }

    public BenchSettings Settings { get; }

    public string Name { get; }

    public Guid OrganizationId { get; }

    public Guid DataSourceId { get; }

    public string OwnerConnection => BenchSettings.WithDatabase(Settings.OwnerConnection, Name);

    public string AppConnection => BenchSettings.WithDatabase(Settings.AppConnection, Name);

    /// <summary>A bench database another process created (a worker child of the schedules section); its organization is not known here.</summary>
    public static BenchDatabase Existing(BenchSettings settings, string name) => new(settings, name, Guid.Empty, Guid.Empty);

    public static async Task<BenchDatabase> CreateAsync(BenchSettings settings, int rows)
    {
        var name = $"loupe_bench_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(settings.AdminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER loupe_owner", admin);
            await create.ExecuteNonQueryAsync();
        }

        var runner = new MigrationRunner(
            Options.Create(new DatabaseOptions
            {
                ConnectionString = BenchSettings.WithDatabase(settings.AppConnection, name),
                OwnerConnectionString = BenchSettings.WithDatabase(settings.OwnerConnection, name),
            }),
            NullLoggerFactory.Instance);
        await runner.UpAsync(CancellationToken.None);

        var organizationId = Guid.CreateVersion7();
        var dataSourceId = Guid.CreateVersion7();
        var owner = new NpgsqlConnectionStringBuilder(BenchSettings.WithDatabase(settings.OwnerConnection, name));
        await using (var connection = new NpgsqlConnection(owner.ConnectionString))
        {
            await connection.OpenAsync();
            await using var setup = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(
                        $"""
                        CREATE TABLE bench_source AS
                        SELECT g AS id,
                               g::bigint * 1000003 AS amount,
                               round((g % 100000) / 7.0, 2)::numeric(12, 2) AS price,
                               'customer ' || (g % 5000) || ', "' || substr(md5(g::text), 1, 8) || '"' AS label,
                               timestamptz '2024-01-01 00:00:00+00' + g * interval '37 seconds' AS created_at,
                               g % 3 = 0 AS flag
                        FROM generate_series(1, {rows}) g
                        """),
                    new NpgsqlBatchCommand("ALTER TABLE bench_source ADD PRIMARY KEY (id)"),
                    new NpgsqlBatchCommand("ANALYZE bench_source"),
                    new NpgsqlBatchCommand("INSERT INTO organizations (id, name, time_zone, created_at, updated_at) VALUES ($1, 'Bench', 'UTC', now(), now())")
                    {
                        Parameters = { new NpgsqlParameter<Guid> { TypedValue = organizationId } },
                    },
                    new NpgsqlBatchCommand(
                        "INSERT INTO data_sources (id, organization_id, name, type, host, port, database, username, ssl_mode, query_timeout_seconds, max_rows, allow_privileged_account, created_at, updated_at) " +
                        "VALUES ($1, $2, 'Bench', 'postgresql', $3, $4, $5, $6, 'disable', 600, $7, false, now(), now())")
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<Guid> { TypedValue = dataSourceId },
                            new NpgsqlParameter<Guid> { TypedValue = organizationId },
                            new NpgsqlParameter<string> { TypedValue = owner.Host },
                            new NpgsqlParameter<int> { TypedValue = owner.Port },
                            new NpgsqlParameter<string> { TypedValue = name },
                            new NpgsqlParameter<string> { TypedValue = owner.Username },
                            new NpgsqlParameter<int> { TypedValue = rows },
                        },
                    },
                },
            };
            await setup.ExecuteNonQueryAsync();
        }

        return new BenchDatabase(settings, name, organizationId, dataSourceId);
    }

    public static BenchDatabase Existing(BenchSettings settings, string name, Guid organizationId, Guid dataSourceId) =>
        new(settings, name, organizationId, dataSourceId);

    /// <summary>A queued run of the organization, the parent row of a stored result.</summary>
    public async Task<Guid> NewRunAsync()
    {
        var runId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(OwnerConnection);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO query_runs (id, organization_id, data_source_id, sql, parameter_values, cache_key, timeout_seconds, max_rows, status, attempt, queued_at, result_expired, schedule_settled) " +
            "VALUES ($1, $2, $3, 'select', '[]', repeat('0', 64), 600, 1000000, 'running', 1, now(), false, false)",
            connection);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = runId });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = OrganizationId });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = DataSourceId });
        await insert.ExecuteNonQueryAsync();
        return runId;
    }

    /// <summary>
    /// Another organization with one admin (who cannot sign in: the benchmarks act as them through
    /// <see cref="BenchCaller"/>, never through a password). Answers the organization and the user.
    /// </summary>
    public async Task<(Guid OrganizationId, Guid AdminId)> AddOrganizationAsync(string name)
    {
        var organizationId = Guid.CreateVersion7();
        var adminId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(OwnerConnection);
        await connection.OpenAsync();
        await using var insert = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("INSERT INTO organizations (id, name, time_zone, created_at, updated_at) VALUES ($1, $2, 'UTC', now(), now())")
                {
                    Parameters = { new NpgsqlParameter<Guid> { TypedValue = organizationId }, new NpgsqlParameter<string> { TypedValue = name } },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO users (id, organization_id, email, name, password_hash, role, is_instance_admin, recent_failed_logins, created_at, updated_at) " +
                    "VALUES ($1, $2, $3, 'Bench admin', '-', 'admin', false, '{}', now(), now())")
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = adminId },
                        new NpgsqlParameter<Guid> { TypedValue = organizationId },
                        new NpgsqlParameter<string> { TypedValue = $"admin-{adminId:N}@bench.invalid" },
                    },
                },
            },
        };
        await insert.ExecuteNonQueryAsync();
        return (organizationId, adminId);
    }

    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Settings.AdminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
