using Npgsql;
using NpgsqlTypes;

namespace Loupe.Infrastructure.Results;

/// <summary>The statements of the result store, as batch commands with positional parameters.</summary>
internal static class ResultSql
{
    /// <summary>The condition that the attempt's result (<c>$1</c>, <c>$2</c>) was completed.</summary>
    private const string Completed = "AND EXISTS (SELECT FROM run_results r WHERE r.run_id = $1 AND r.attempt = $2)";

    public static NpgsqlBatchCommand InsertChunk(
        Guid runId, int attempt, int chunkNumber, Guid organizationId, long firstRow, int rowCount, ReadOnlyMemory<byte> data) =>
        Command(
            "INSERT INTO run_result_chunks (run_id, attempt, chunk_number, organization_id, first_row, row_count, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            Value(runId),
            Value(attempt),
            Value(chunkNumber),
            Value(organizationId),
            Value(firstRow),
            Value(rowCount),
            new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = data });

    public static NpgsqlBatchCommand InsertResult(
        Guid runId, int attempt, Guid organizationId, string columns, long rowCount, bool truncated, int chunkCount, long storedBytes, DateTimeOffset createdAt) =>
        Command(
            "INSERT INTO run_results (run_id, attempt, organization_id, columns, row_count, truncated, chunk_count, stored_bytes, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            Value(runId),
            Value(attempt),
            Value(organizationId),
            Value(columns),
            Value(rowCount),
            Value(truncated),
            Value(chunkCount),
            Value(storedBytes),
            Value(createdAt));

    /// <summary>Whether the run is one the current organization sees.</summary>
    public static NpgsqlBatchCommand SelectRunVisible(Guid runId) =>
        Command("SELECT EXISTS (SELECT FROM query_runs WHERE id = $1)", Value(runId));

    public static NpgsqlBatchCommand DeleteAttemptChunks(Guid runId, int attempt) =>
        Command("DELETE FROM run_result_chunks WHERE run_id = $1 AND attempt = $2", Value(runId), Value(attempt));

    public static NpgsqlBatchCommand DeleteAttemptResult(Guid runId, int attempt) =>
        Command("DELETE FROM run_results WHERE run_id = $1 AND attempt = $2", Value(runId), Value(attempt));

    public static NpgsqlBatchCommand DeleteRunsChunks(Guid[] runIds) =>
        Command("DELETE FROM run_result_chunks WHERE run_id = ANY($1)", Value(runIds));

    public static NpgsqlBatchCommand DeleteRunsResults(Guid[] runIds) =>
        Command("DELETE FROM run_results WHERE run_id = ANY($1)", Value(runIds));

    /// <summary>Columns (JSON) and total rows of one attempt's result.</summary>
    public static NpgsqlBatchCommand SelectSummary(Guid runId, int attempt) =>
        Command("SELECT columns, row_count FROM run_results WHERE run_id = $1 AND attempt = $2", Value(runId), Value(attempt));

    /// <summary>
    /// First row, row count and data of the chunks holding rows <c>[from, to)</c>, in order; none unless the
    /// result was completed (chunks of a writer still at work are not read).
    /// </summary>
    public static NpgsqlBatchCommand SelectChunksCovering(Guid runId, int attempt, long from, long to) =>
        Command(
            "SELECT first_row, row_count, data FROM run_result_chunks " +
            "WHERE run_id = $1 AND attempt = $2 AND first_row < $3 AND first_row + row_count > $4 " + Completed + " ORDER BY chunk_number",
            Value(runId),
            Value(attempt),
            Value(to),
            Value(from));

    /// <summary>Run, columns (JSON) and total rows of each of these attempts' results (<c>$1</c> runs, <c>$2</c> their attempts).</summary>
    public static NpgsqlBatchCommand SelectSummaries(Guid[] runIds, int[] attempts) =>
        Command(
            "SELECT r.run_id, r.columns, r.row_count FROM run_results r " +
            "JOIN unnest($1::uuid[], $2::integer[]) AS w(run_id, attempt) ON r.run_id = w.run_id AND r.attempt = w.attempt",
            Value(runIds),
            Value(attempts));

    /// <summary>
    /// Run, first row, row count and data of the chunks holding rows <c>[0, to)</c> of each of these
    /// attempts' completed results, in order of run and chunk.
    /// </summary>
    public static NpgsqlBatchCommand SelectFirstChunks(Guid[] runIds, int[] attempts, long to) =>
        Command(
            "SELECT c.run_id, c.first_row, c.row_count, c.data FROM run_result_chunks c " +
            "JOIN unnest($1::uuid[], $2::integer[]) AS w(run_id, attempt) ON c.run_id = w.run_id AND c.attempt = w.attempt " +
            "WHERE c.first_row < $3 AND EXISTS (SELECT FROM run_results r WHERE r.run_id = c.run_id AND r.attempt = c.attempt) " +
            "ORDER BY c.run_id, c.chunk_number",
            Value(runIds),
            Value(attempts),
            Value(to));

    /// <summary>Row count and data of every chunk, in order; none unless the result was completed.</summary>
    public static NpgsqlBatchCommand SelectAllChunks(Guid runId, int attempt) =>
        Command(
            "SELECT row_count, data FROM run_result_chunks WHERE run_id = $1 AND attempt = $2 " + Completed + " ORDER BY chunk_number",
            Value(runId),
            Value(attempt));

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };
}
