using System.Data;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.Runs;
using Npgsql;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Reads the columns of saved queries' latest results in one statement: per query, its most recently
/// finished succeeded run whose result attempt is still stored (<c>run_results</c> keeps the columns;
/// the retention job removes the row with the rows). Runs in the current organization's transaction,
/// so row-level security hides every other organization's runs whatever ids are asked for.
/// </summary>
internal sealed class LatestResultColumns(NpgsqlDataSource dataSource, ITenantScope tenant) : ILatestResultColumns
{
    private static readonly string Succeeded = RunStatus.Succeeded.ToName();

    private const string Sql =
        "SELECT DISTINCT ON (r.saved_query_id) r.saved_query_id, s.columns " +
        "FROM query_runs r JOIN run_results s ON s.run_id = r.id AND s.attempt = r.result_attempt " +
        "WHERE r.saved_query_id = ANY($1) AND r.status = $2 AND NOT r.result_expired " +
        "ORDER BY r.saved_query_id, r.finished_at DESC, r.id DESC";

    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<string>>> OfQueriesAsync(IReadOnlyCollection<Guid> queryIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(queryIds);
        var organizationId = tenant.OrganizationId
            ?? throw new InvalidOperationException("Latest results are read in an organization; none is set.");
        var columns = new Dictionary<Guid, IReadOnlyList<string>>();
        if (queryIds.Count == 0)
        {
            return columns;
        }

        var command = new NpgsqlBatchCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. queryIds.Distinct()] });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Succeeded });
        await using var transaction = await TenantTransaction.BeginAsync(dataSource, organizationId, IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        await using var batch = transaction.Batch(command);
        await using var reader = await TenantTransaction.ReadAsync(batch, CommandBehavior.Default, ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            columns[reader.GetGuid(0)] = [.. ResultColumnsJson.Read(reader.GetString(1)).Select(column => column.Name)];
        }

        return columns;
    }
}
