using Loupe.Application.Common.Jobs;
using Loupe.Domain.Runs;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Runs;

/// <summary>
/// Closes runs that can no longer end on their own, across all organizations (an instance task, run as
/// the owner role): a run still queued, retrying or running whose job is over (its attempts ran out while Loupe's
/// database was away, or an administrator stopped it) or gone. Such a run fails with <c>LP003</c> rather
/// than showing "running" for ever. A run younger than <see cref="Grace"/> is left alone.
/// </summary>
public sealed partial class StrandedRuns(OwnerConnections owner, ILogger<StrandedRuns> logger)
{
    public const string Code = LoupeErrorCodes.Stranded;

    public const string Message = "The run's background job ended without finishing it (its attempts ran out or it was stopped); run it again.";

    /// <summary>How old a run must be before the sweep looks at it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private const string CloseSql = """
        UPDATE query_runs r
        SET status = 'failed', finished_at = $1, error_code = $2, error_message = $3,
            error_line = NULL, error_column = NULL, error_hint = NULL, error_detail = NULL
        WHERE r.status IN ('queued', 'retrying', 'running') AND r.queued_at < $4
          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.state IN ('queued', 'running'))
        """;

    /// <summary>How many runs were closed.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await owner.OpenAsync(ct).ConfigureAwait(false);
        await using var close = new NpgsqlCommand(CloseSql, connection);
        close.Parameters.Add(new NpgsqlParameter { Value = now });
        close.Parameters.Add(new NpgsqlParameter { Value = Code });
        close.Parameters.Add(new NpgsqlParameter { Value = Message });
        close.Parameters.Add(new NpgsqlParameter { Value = now - Grace });
        var closed = await close.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        if (closed > 0)
        {
            LogClosed(logger, closed);
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closed {Count} runs whose job had ended without finishing them (LP003)")]
    private static partial void LogClosed(ILogger logger, int count);
}

/// <summary>The maintenance job <c>runs.stranded</c>: one sweep of <see cref="StrandedRuns"/>.</summary>
internal sealed class StrandedRunsJob(StrandedRuns stranded, TimeProvider clock) : IJobHandler
{
    public const string JobKind = "runs.stranded";

    public string Kind => JobKind;

    public Task HandleAsync(JobContext context, CancellationToken ct) => stranded.SweepAsync(clock.GetUtcNow(), ct);
}
