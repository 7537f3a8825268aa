using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Runs;

/// <summary>
/// Removes stored results past their time, across all organizations (an instance task, run as the
/// owner role, which row-level security does not filter): a run's result goes when its
/// <c>result_expires_at</c> has passed, unless it is the latest successful run of its saved query. It
/// also removes attempts that are not their run's result (a presumed-dead worker's late writes, a
/// cancelled run's partial rows).
/// </summary>
public sealed partial class ResultRetention(OwnerConnections owner, ILogger<ResultRetention> logger)
{
    private const int Batch = 500;

    private const string ExpireSql = """
        WITH expired AS (
            SELECT r.id FROM query_runs r
            WHERE r.result_expires_at < $1 AND NOT r.result_expired AND r.status = 'succeeded'
              AND NOT (r.saved_query_id IS NOT NULL AND r.id = (
                  SELECT l.id FROM query_runs l
                  WHERE l.saved_query_id = r.saved_query_id AND l.status = 'succeeded' AND NOT l.result_expired
                  ORDER BY l.finished_at DESC, l.id DESC LIMIT 1))
            ORDER BY r.result_expires_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED),
        chunks AS (DELETE FROM run_result_chunks c USING expired e WHERE c.run_id = e.id),
        summaries AS (DELETE FROM run_results s USING expired e WHERE s.run_id = e.id)
        UPDATE query_runs r SET result_expired = true, result_expires_at = NULL FROM expired e WHERE r.id = e.id
        """;

    private const string OrphanChunksSql = """
        DELETE FROM run_result_chunks c USING query_runs r
        WHERE c.run_id = r.id AND c.attempt IS DISTINCT FROM r.result_attempt
          AND (r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out') OR c.attempt < r.attempt)
        """;

    private const string OrphanResultsSql = """
        DELETE FROM run_results s USING query_runs r
        WHERE s.run_id = r.id AND s.attempt IS DISTINCT FROM r.result_attempt
          AND (r.status IN ('succeeded', 'failed', 'cancelled', 'timed_out') OR s.attempt < r.attempt)
        """;

    /// <summary>How many results expired and how many orphaned chunks were removed.</summary>
    public sealed record Outcome(int ExpiredResults, int OrphanedChunks);

    public async Task<Outcome> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await owner.OpenAsync(ct).ConfigureAwait(false);
        var expired = 0;
        while (true)
        {
            await using var expire = new NpgsqlCommand(ExpireSql, connection);
            expire.Parameters.Add(new NpgsqlParameter { Value = now });
            expire.Parameters.Add(new NpgsqlParameter { Value = Batch });
            var count = await expire.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            expired += count;
            if (count < Batch)
            {
                break;
            }
        }

        int orphans;
        await using (var chunks = new NpgsqlCommand(OrphanChunksSql, connection))
        {
            orphans = await chunks.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var summaries = new NpgsqlCommand(OrphanResultsSql, connection))
        {
            await summaries.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        if (expired > 0 || orphans > 0)
        {
            LogSwept(logger, expired, orphans);
        }

        return new Outcome(expired, orphans);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Result retention removed {ExpiredResults} expired results and {OrphanedChunks} orphaned chunks")]
    private static partial void LogSwept(ILogger logger, int expiredResults, int orphanedChunks);
}
