using System.Diagnostics.Metrics;
using Loupe.Application.Common.Jobs;
using Loupe.Infrastructure.Jobs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>The engine's metrics, measured on a node that runs a job against a real database.</summary>
[Collection(JobEngineSerial.Name)]
public sealed class JobMetricsTests
{
    [Fact]
    public async Task TheEngine_ReportsClaimsDurationsAndOutcomes_OnTheLoupeJobsMeter()
    {
        await using var databases = new ScratchDatabases();
        var database = await databases.MigratedAsync();
        var measurements = new List<(string Instrument, string? Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
        await using var node = await JobNode.Create(database, "node-a", services => services.AddSingleton<IJobHandler>(
            new TestHandler("test.metered", (context, _) => context.Attempt == 1 ? throw new InvalidOperationException("no") : Task.CompletedTask))).StartAsync();

        var id = (await node.EnqueueAsync(null, new JobRequest("test.metered", "{}", null)))[0];
        await JobRows.WaitForAsync(database, id, TimeSpan.FromSeconds(30), "failed");
        await Eventually.HoldsAsync(
            () => Task.FromResult(Snapshot().Any(m => m.Instrument == "loupe.jobs.failures")), TimeSpan.FromSeconds(10), "the failure was counted");
        listener.RecordObservableInstruments();

        var seen = Snapshot();
        seen.ShouldContain(("loupe.jobs.claimed", null));
        seen.ShouldContain(("loupe.jobs.queue_latency", null));
        seen.ShouldContain(("loupe.jobs.finished", "failed"));
        seen.ShouldContain(("loupe.jobs.duration", "failed"));
        seen.ShouldContain(("loupe.jobs.failures", null));

        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? kind = null;
            string? outcome = null;
            foreach (var (key, value) in tags)
            {
                kind = key == "kind" ? value as string : kind;
                outcome = key == "outcome" ? value as string : outcome;
            }

            if (kind == "test.metered")
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, outcome));
                }
            }
        }

        List<(string Instrument, string? Outcome)> Snapshot()
        {
            lock (measurements)
            {
                return [.. measurements];
            }
        }
    }
}
