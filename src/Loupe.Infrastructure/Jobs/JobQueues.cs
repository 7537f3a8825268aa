using Loupe.Application.Common.Jobs;
using Npgsql;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// Paused queues (ADR 0068), through the functions of migration 0025: the claim leaves a paused queue
/// out, and resuming one wakes the nodes.
/// </summary>
internal sealed class JobQueues(NpgsqlDataSource dataSource) : IJobQueues
{
    public Task<bool> PauseAsync(string queue, CancellationToken ct) => ChangeAsync("loupe_jobs_queue_pause", queue, ct);

    public Task<bool> ResumeAsync(string queue, CancellationToken ct) => ChangeAsync("loupe_jobs_queue_resume", queue, ct);

    public async Task<IReadOnlyList<QueuePause>> PausedAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT queue, paused_at FROM loupe_jobs_queue_paused()");
        var paused = new List<QueuePause>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            paused.Add(new QueuePause(reader.GetString(0), new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc))));
        }

        return paused;
    }

    private async Task<bool> ChangeAsync(string function, string queue, CancellationToken ct)
    {
        if (!JobRequests.IsQueueName(queue))
        {
            throw new ArgumentException("A queue name is 1–64 lower-case letters, digits, '.', '-' or '_'.", nameof(queue));
        }

        await using var command = dataSource.CreateCommand($"SELECT {function}($1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = queue });
        return (bool)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
