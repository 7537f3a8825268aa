using System.Data;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// Stores one attempt's rows as they arrive (ADR 0022): cells go into the current chunk; a full chunk is
/// compressed and inserted in a short transaction of its own, so the writer never holds more than one.
/// <see cref="CompleteAsync"/> inserts the last chunk and the <c>run_results</c> row together; a writer
/// disposed without completing deletes the chunks it wrote. The first write also checks the run and
/// clears what an earlier writer of the same attempt left (no round trip of its own).
/// </summary>
internal sealed partial class ResultWriter : IResultWriter
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly Guid _organizationId;
    private readonly Guid _runId;
    private readonly int _attempt;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ChunkBuilder _chunk = new();
    private readonly MemoryStream _compressed = new();
    private IReadOnlyList<QueryColumn> _columns = [];
    private long _storedRows;
    private int _chunkCount;
    private long _storedBytes;
    private bool _completed;
    private bool _started;
    private bool _disposed;

    public ResultWriter(NpgsqlDataSource dataSource, Guid organizationId, Guid runId, int attempt, TimeProvider clock, ILogger logger)
    {
        _dataSource = dataSource;
        _organizationId = organizationId;
        _runId = runId;
        _attempt = attempt;
        _clock = clock;
        _logger = logger;
    }

    public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(columns);
        EnsureWritable();
        if (_storedRows > 0 || _chunk.RowCount > 0)
        {
            throw new InvalidOperationException("The columns of a result cannot change once rows were written.");
        }

        _columns = [.. columns];
        _chunk.UseColumns(_columns);
        return ValueTask.CompletedTask;
    }

    public ValueTask RowAsync(object?[] row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        EnsureWritable();
        _chunk.Add(row);
        return _chunk.IsFull ? new ValueTask(StoreChunkAsync(ct)) : ValueTask.CompletedTask;
    }

    public async Task<StoredResult> CompleteAsync(QueryOutcome outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        EnsureWritable();
        await using var transaction = await TenantTransaction.BeginAsync(_dataSource, _organizationId, IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        var commands = new List<NpgsqlBatchCommand>(2);
        if (_chunk.RowCount > 0)
        {
            commands.Add(CompressChunk());
        }

        var rowCount = _storedRows + _chunk.RowCount;
        var chunkCount = _chunkCount + (_chunk.RowCount > 0 ? 1 : 0);
        var storedBytes = _storedBytes + (_chunk.RowCount > 0 ? _compressed.Length : 0);
        commands.Add(ResultSql.InsertResult(
            _runId, _attempt, _organizationId, ResultColumnsJson.Write(_columns), rowCount, outcome.Truncated, chunkCount, storedBytes, _clock.GetUtcNow()));
        await WriteAsync(transaction, commands, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        _completed = true;
        _chunk.Clear();
        return new StoredResult(rowCount, outcome.Truncated, storedBytes, chunkCount);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _compressed.DisposeAsync().ConfigureAwait(false);
        if (_completed)
        {
            return;
        }

        // Not completed (failed, cancelled, or abandoned): nothing of this attempt may stay behind.
        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            await using var transaction = await TenantTransaction.BeginAsync(_dataSource, _organizationId, IsolationLevel.ReadCommitted, timeout.Token).ConfigureAwait(false);
            await using (var batch = transaction.Batch(ResultSql.DeleteAttemptChunks(_runId, _attempt)))
            {
                await batch.ExecuteNonQueryAsync(timeout.Token).ConfigureAwait(false);
            }

            await transaction.CommitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The next attempt of the same number, or the run's deletion, removes them.
            LogCleanupFailed(_logger, exception, _runId, _attempt);
        }
    }

    private async Task StoreChunkAsync(CancellationToken ct)
    {
        await using (var transaction = await TenantTransaction.BeginAsync(_dataSource, _organizationId, IsolationLevel.ReadCommitted, ct).ConfigureAwait(false))
        {
            await WriteAsync(transaction, [CompressChunk()], ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        _storedRows += _chunk.RowCount;
        _storedBytes += _compressed.Length;
        _chunkCount++;
        _chunk.Clear();
    }

    /// <summary>
    /// Runs the writes in the transaction. The first write of the attempt also checks that the run is
    /// one of the organization's (a foreign key ignores row-level security: without the check, a wrong
    /// run id of another organization would take chunks under ours) and removes whatever an earlier
    /// writer of the same attempt left, in the same round trip; when the run is not the organization's,
    /// it throws and the transaction, never committed, keeps nothing.
    /// </summary>
    private async Task WriteAsync(TenantTransaction transaction, List<NpgsqlBatchCommand> commands, CancellationToken ct)
    {
        if (_started)
        {
            await using var writes = transaction.Batch([.. commands]);
            await writes.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return;
        }

        await using var batch = transaction.Batch(
            [ResultSql.SelectRunVisible(_runId), ResultSql.DeleteAttemptChunks(_runId, _attempt), ResultSql.DeleteAttemptResult(_runId, _attempt), .. commands]);
        var reader = await TenantTransaction.ReadAsync(batch, CommandBehavior.Default, ct).ConfigureAwait(false);
        var visible = false;
        try
        {
            visible = await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetBoolean(0);
            if (visible)
            {
                while (await reader.NextResultAsync(ct).ConfigureAwait(false))
                {
                }
            }
        }
        finally
        {
            try
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
            catch (PostgresException) when (!visible)
            {
                // The refused run's writes failed too (its summary exists under its own organization):
                // the transaction is never committed, and the refusal below is what the caller learns.
            }
        }

        if (!visible)
        {
            throw new InvalidOperationException("The run is not one of the current organization's runs.");
        }

        _started = true;
    }

    /// <summary>The current chunk compressed into the reused buffer, as its insert (not yet counted as stored).</summary>
    private NpgsqlBatchCommand CompressChunk()
    {
        ChunkCompression.Compress(_chunk.Cells, _compressed);
        var data = new ReadOnlyMemory<byte>(_compressed.GetBuffer(), 0, (int)_compressed.Length);
        return ResultSql.InsertChunk(_runId, _attempt, _chunkCount, _organizationId, _storedRows, _chunk.RowCount, data);
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The result was completed; nothing more can be written.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the chunks of an uncompleted result (run {RunId}, attempt {Attempt}) failed; they stay until the attempt is stored again or the run is deleted")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, Guid runId, int attempt);
}
