using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// With 100,000 dashboards and as many visualizations in one organization (and others beside it), a
/// page of either list — the first and a deep one, newest change first — is planned on the index of
/// organization and last change, never as a scan of the whole table (the P2 benchmark's lists).
/// The statements are the lists' shape: the organization's rows through row-level security, active
/// ones, ordered by <c>updated_at</c> then <c>id</c>, one page.
/// </summary>
public sealed class ListPlanTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private const int Rows = 100_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("dashboards", "ix_dashboards_organization_id_updated_at", 0)]
    [InlineData("dashboards", "ix_dashboards_organization_id_updated_at", Rows - 50)]
    [InlineData("visualizations", "ix_visualizations_organization_id_updated_at", 0)]
    [InlineData("visualizations", "ix_visualizations_organization_id_updated_at", Rows - 50)]
    public async Task APageOfTheList_IsPlannedOnTheOrganizationAndUpdatedAtIndex(string table, string index, int offset)
    {
        var organizationId = await FillAsync();

        var plan = await ExplainAsync(
            organizationId,
            $"SELECT id, name, updated_at FROM {table} WHERE archived_at IS NULL ORDER BY updated_at DESC, id DESC LIMIT 50 OFFSET {offset}");

        plan.ShouldContain(index, customMessage: plan);
        plan.ShouldNotContain($"Seq Scan on {table}", customMessage: plan);
    }

    /// <summary>An organization with <see cref="Rows"/> dashboards and visualizations, and a smaller one beside it; answers the first.</summary>
    private async Task<Guid> FillAsync()
    {
        var organizations = new List<Guid>();
        foreach (var (name, rows) in new[] { ("Big", Rows), ("Small", 1_000) })
        {
            var organization = await TenantData.CreateOrganizationAsync(database.AppConnection, name);
            var owner = (await TenantData.AddUsersAsync(database.AppConnection, organization.Id, 1, _ => "Owner")).Single();
            var source = DataSource.Create(
                Guid.CreateVersion7(), organization.Id, "dw", ConnectionSettings.Postgresql("h", 5432, "d", "u"), null, DataSourceLimits.Default, TenantData.Epoch);
            var query = SavedQuery.Create(Guid.CreateVersion7(), organization.Id, owner.Id, "Sales", null, "SELECT 1 AS v", [], null, source, null, TenantData.Epoch);
            await using (var context = TenantData.Context(database.AppConnection, organization.Id))
            {
                context.DataSources.Add(source);
                context.SavedQueries.Add(query);
                await context.SaveChangesAsync(Ct);
            }

            await using var connection = new NpgsqlConnection(database.OwnerConnection);
            await connection.OpenAsync(Ct);
            await using var fill = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(
                        "INSERT INTO dashboards (id, organization_id, name, tags, tiles, parameters, parameter_mappings, owner_id, latest_version, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, 'Dashboard ' || g, '{}', '[]', '[]', '[]', $2, 1, now() - g * interval '1 minute', now() - g * interval '1 minute' " +
                        "FROM generate_series(1, $3) g")
                    {
                        Parameters = { Value(organization.Id), Value(owner.Id), Value(rows) },
                    },
                    new NpgsqlBatchCommand(
                        "INSERT INTO visualizations (id, organization_id, query_id, name, type, options, tags, owner_id, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, $3, 'Chart ' || g, 'counter', '{\"value_column\": \"v\"}', '{}', $2, now() - g * interval '1 minute', now() - g * interval '1 minute' " +
                        "FROM generate_series(1, $4) g")
                    {
                        Parameters = { Value(organization.Id), Value(owner.Id), Value(query.Id), Value(rows) },
                    },
                },
            };
            await fill.ExecuteNonQueryAsync(Ct);
            organizations.Add(organization.Id);
        }

        await using (var connection = new NpgsqlConnection(database.OwnerConnection))
        {
            await connection.OpenAsync(Ct);
            await using var analyze = new NpgsqlCommand("ANALYZE dashboards; ANALYZE visualizations", connection);
            await analyze.ExecuteNonQueryAsync(Ct);
        }

        return organizations[0];
    }

    /// <summary>EXPLAIN of <paramref name="sql"/> as the application role, in the organization (row-level security applies).</summary>
    private async Task<string> ExplainAsync(Guid organizationId, string sql)
    {
        await using var connection = new NpgsqlConnection(database.AppConnection);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var setting = new NpgsqlCommand("SELECT set_config('loupe.organization_id', $1, true)", connection, transaction))
        {
            setting.Parameters.Add(Value(organizationId.ToString()));
            await setting.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}
