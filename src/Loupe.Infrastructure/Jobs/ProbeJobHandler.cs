using System.Text.Json;
using Loupe.Application.Common.Jobs;

namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// The engine's own job kind, <c>jobs.probe</c>: waits <c>delay_ms</c> (0 by default, at most an hour)
/// and succeeds, or stops when cancelled. It exercises the whole engine without touching any data:
/// <c>build/bench.sh</c> measures throughput and queued → started latency with it, and the kill -9 drill
/// holds a job with it.
/// </summary>
internal sealed class ProbeJobHandler(TimeProvider time) : IJobHandler
{
    public const string JobKind = "jobs.probe";

    private const int MaxDelayMilliseconds = 3_600_000;

    public string Kind => JobKind;

    public Task HandleAsync(JobContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delay = DelayOf(context.Payload);
        return delay == 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(delay), time, ct);
    }

    public static string Payload(int delayMilliseconds) =>
        JsonSerializer.Serialize(new Dictionary<string, int> { ["delay_ms"] = delayMilliseconds });

    private static int DelayOf(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.ValueKind == JsonValueKind.Object
               && document.RootElement.TryGetProperty("delay_ms", out var delay)
               && delay.TryGetInt32(out var milliseconds)
            ? Math.Clamp(milliseconds, 0, MaxDelayMilliseconds)
            : 0;
    }
}
