using System.Buffers;
using System.Data;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Results in Loupe's own PostgreSQL (ADR 0022): <c>run_results</c> holds each attempt's columns and
/// counts, <c>run_result_chunks</c> its rows in compressed chunks. Every statement runs in a short
/// transaction of its own connection that first sets the current organization, so row-level security
/// (ADR 0017) hides other organizations' results even from a wrong id.
/// </summary>
internal sealed class PostgresResultStore(
    NpgsqlDataSource dataSource, ITenantScope tenant, TimeProvider clock, IOptions<RunOptions> options, ILogger<PostgresResultStore> logger) : IResultStore, IResultPreviews
{
    private readonly RunOptions _limits = options.Value;

    /// <summary>An export hands its output to the destination in pieces of about this size.</summary>
    private const int ExportFlushBytes = 64 * 1024;

    /// <summary>
    /// Starts a writer without a round trip: its first write checks that the run is the organization's
    /// and clears what an earlier writer of the attempt left, in the same transaction as the rows.
    /// </summary>
    public Task<IResultWriter> BeginAsync(Guid runId, int attempt, CancellationToken ct)
    {
        var organizationId = CurrentOrganization();
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IResultWriter>(new ResultWriter(dataSource, organizationId, runId, attempt, clock, logger));
    }

    public async Task<ResultPage?> ReadPageAsync(Guid runId, int attempt, long offset, int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var organizationId = CurrentOrganization();
        var end = offset > long.MaxValue - count ? long.MaxValue : offset + count;

        await using var transaction = await TenantTransaction.BeginAsync(dataSource, organizationId, IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await using var batch = transaction.Batch(ResultSql.SelectSummary(runId, attempt), ResultSql.SelectChunksCovering(runId, attempt, offset, end));
        await using var reader = await TenantTransaction.ReadAsync(batch, CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var columns = ResultColumnsJson.Read(reader.GetString(0));
        var totalRows = reader.GetInt64(1);
        var kinds = columns.Select(c => ResultColumnType.JsonKindOf(c.TypeName)).ToArray();
        var rows = new List<object?[]>((int)Math.Clamp(Math.Min(end, totalRows) - offset, 0, count));
        await reader.NextResultAsync(ct).ConfigureAwait(false);

        var budget = new PageBudget(_limits.MaxPageBytes, _limits.MaxPageCellBytes);
        var cells = new ChunkCellReader(_limits.MaxPageCellBytes);
        await using (cells.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var firstRow = reader.GetInt64(0);
                var rowCount = reader.GetInt32(1);
                var skip = (int)Math.Max(0, offset - firstRow);
                var take = (int)Math.Min(rowCount - skip, end - firstRow - skip);
                if (take <= 0)
                {
                    continue;
                }

                // Cells are inflated through a window as they are read: a chunk of one huge row costs no more than any other.
                var data = await reader.GetStreamAsync(2, ct).ConfigureAwait(false);
                await using (data.ConfigureAwait(false))
                {
                    await cells.OpenAsync(data, ct).ConfigureAwait(false);
                    await PageValues.ReadRowsAsync(cells, kinds, skip, take, budget, rows, ct).ConfigureAwait(false);
                }
            }
        }

        return new ResultPage(columns, totalRows, rows, budget.TruncatedCells);
    }

    /// <summary>Both statements in one batch, one round trip, however many results.</summary>
    public async Task<IReadOnlyDictionary<Guid, ResultPage>> ReadFirstRowsAsync(IReadOnlyCollection<StoredAttempt> results, int rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var organizationId = CurrentOrganization();
        var pages = new Dictionary<Guid, ResultPage>();
        if (results.Count == 0)
        {
            return pages;
        }

        Guid[] runIds = [.. results.Select(r => r.RunId)];
        int[] attempts = [.. results.Select(r => r.Attempt)];
        await using var transaction = await TenantTransaction.BeginAsync(dataSource, organizationId, IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await using var batch = transaction.Batch(ResultSql.SelectSummaries(runIds, attempts), ResultSql.SelectFirstChunks(runIds, attempts, rows));
        await using var reader = await TenantTransaction.ReadAsync(batch, CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        var summaries = new Dictionary<Guid, (IReadOnlyList<Application.Common.Connectors.QueryColumn> Columns, JsonKind[] Kinds, long TotalRows, List<object?[]> Rows, PageBudget Budget)>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var runId = reader.GetGuid(0);
            var columns = ResultColumnsJson.Read(reader.GetString(1));
            var totalRows = reader.GetInt64(2);
            summaries[runId] = (columns, [.. columns.Select(c => ResultColumnType.JsonKindOf(c.TypeName))], totalRows,
                new List<object?[]>((int)Math.Min(rows, totalRows)), new PageBudget(_limits.MaxPageBytes, _limits.MaxPageCellBytes));
        }

        await reader.NextResultAsync(ct).ConfigureAwait(false);
        var cells = new ChunkCellReader(_limits.MaxPageCellBytes);
        await using (cells.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var runId = reader.GetGuid(0);
                var firstRow = reader.GetInt64(1);
                var rowCount = reader.GetInt32(2);
                if (!summaries.TryGetValue(runId, out var summary))
                {
                    continue;
                }

                var take = (int)Math.Min(rowCount, rows - firstRow);
                if (take <= 0)
                {
                    continue;
                }

                var data = await reader.GetStreamAsync(3, ct).ConfigureAwait(false);
                await using (data.ConfigureAwait(false))
                {
                    await cells.OpenAsync(data, ct).ConfigureAwait(false);
                    await PageValues.ReadRowsAsync(cells, summary.Kinds, 0, take, summary.Budget, summary.Rows, ct).ConfigureAwait(false);
                }
            }
        }

        foreach (var (runId, summary) in summaries)
        {
            pages[runId] = new ResultPage(summary.Columns, summary.TotalRows, summary.Rows, summary.Budget.TruncatedCells);
        }

        return pages;
    }

    public async Task<bool> ExportAsync(Guid runId, int attempt, ResultFormat format, ExportOptions options, Stream destination, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        var organizationId = CurrentOrganization();

        await using var transaction = await TenantTransaction.BeginAsync(dataSource, organizationId, IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        await using var batch = transaction.Batch(ResultSql.SelectSummary(runId, attempt), ResultSql.SelectAllChunks(runId, attempt));
        await using var reader = await TenantTransaction.ReadAsync(batch, CommandBehavior.SequentialAccess, ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return false;
        }

        var columns = ResultColumnsJson.Read(reader.GetString(0));
        var totalRows = reader.GetInt64(1);
        await reader.NextResultAsync(ct).ConfigureAwait(false);

        var writer = ResultExportFormat.For(format, options, columns);
        var output = new ArrayBufferWriter<byte>(2 * ExportFlushBytes);
        writer.WriteStart(columns, output);
        using var cells = new ChunkBuffer();
        long rowsWritten = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var rowCount = reader.GetInt32(0);
            var length = await DecompressAsync(reader, 1, cells, ct).ConfigureAwait(false);
            var position = 0;
            var row = 0;
            while (row < rowCount)
            {
                row += WriteRows(writer, cells.Span(length), ref position, rowCount - row, output);
                if (output.WrittenCount >= ExportFlushBytes)
                {
                    await destination.WriteAsync(output.WrittenMemory, ct).ConfigureAwait(false);
                    output.ResetWrittenCount();
                }
            }

            if (position != length)
            {
                throw new InvalidDataException("A stored result chunk holds more cells than its rows.");
            }

            rowsWritten += rowCount;
        }

        if (rowsWritten != totalRows)
        {
            throw new InvalidDataException("The stored chunks of a result do not hold its row count.");
        }

        writer.WriteEnd(output);
        await destination.WriteAsync(output.WrittenMemory, ct).ConfigureAwait(false);
        await destination.FlushAsync(ct).ConfigureAwait(false);
        return true;
    }

    public async Task DeleteAsync(IReadOnlyCollection<Guid> runIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var organizationId = CurrentOrganization();
        if (runIds.Count == 0)
        {
            return;
        }

        Guid[] ids = [.. runIds];
        await using var transaction = await TenantTransaction.BeginAsync(dataSource, organizationId, IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        await using (var batch = transaction.Batch(ResultSql.DeleteRunsChunks(ids), ResultSql.DeleteRunsResults(ids)))
        {
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes rows of one chunk until they end or the output holds enough to send; answers how many.</summary>
    private static int WriteRows(ResultExportFormat writer, ReadOnlySpan<byte> cells, ref int position, int rowsLeft, ArrayBufferWriter<byte> output)
    {
        var written = 0;
        while (written < rowsLeft && output.WrittenCount < ExportFlushBytes)
        {
            writer.WriteRow(cells, ref position, output);
            written++;
        }

        return written;
    }

    private static async Task<int> DecompressAsync(NpgsqlDataReader reader, int ordinal, ChunkBuffer cells, CancellationToken ct)
    {
        var data = await reader.GetStreamAsync(ordinal, ct).ConfigureAwait(false);
        await using (data.ConfigureAwait(false))
        {
            return await ChunkCompression.DecompressAsync(data, cells, ct).ConfigureAwait(false);
        }
    }

    private Guid CurrentOrganization() =>
        tenant.OrganizationId ?? throw new InvalidOperationException("Stored results are read and written in an organization; none is set.");
}
