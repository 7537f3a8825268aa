using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>
/// A run's trace (ADR 0040): the API request that enqueues it and the job attempt that runs it share a
/// trace, the attempt's parent being the request's span; no span carries SQL text.
/// </summary>
public sealed class JobTraceTests(RunsApi api) : ResetBeforeEachTest(api), IClassFixture<RunsApi>
{
    private static readonly ActivitySource CallerSource = new("Loupe.Tests.Caller");

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = Listen();

    public override ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task RunEnqueuedUnderATraceparent_RunsAsAChildOfTheRequestThatEnqueuedIt_WithoutSqlInAnySpan()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        var marker = $"m{Guid.NewGuid():N}";
        using var caller = CallerSource.StartActivity("caller", ActivityKind.Client)!;
        var traceId = caller.TraceId;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs")
        {
            Content = JsonContent.Create(new Dictionary<string, object> { ["datasource_id"] = source, ["sql"] = $"select 42 as {marker}" }),
        };
        using var response = await admin.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
        var finished = await RunsApi.FinishedAsync(admin, runId);
        // The run's own job: the jobs it queues as it finishes (its events' fan-out) continue the trace below it.
        var attempt = await StoppedAsync(a => a.Source.Name == "Loupe.Jobs" && a.TraceId == traceId && a.DisplayName == "job query.run");
        var stored = await StoredTraceParentAsync(runId);

        finished.GetProperty("status").GetString().ShouldBe("succeeded");
        var server = _stopped.Single(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId && a.DisplayName.StartsWith("POST ", StringComparison.Ordinal));
        // The flags byte is the request's (sampled, and .NET's random-trace-id bit): not what is checked here.
        stored.ShouldNotBeNull().ShouldStartWith($"00-{traceId}-{server.SpanId}-");
        attempt.ParentSpanId.ShouldBe(server.SpanId);
        attempt.Kind.ShouldBe(ActivityKind.Consumer);
        attempt.DisplayName.ShouldBe("job query.run");
        attempt.GetTagItem("loupe.job.kind").ShouldBe("query.run");
        attempt.GetTagItem("loupe.job.outcome").ShouldBe("succeeded");
        attempt.Status.ShouldBe(ActivityStatusCode.Unset);

        // Loupe's own commands are in the trace, without their text; the user's query made no span.
        var commands = _stopped.Where(a => a.Source.Name == "Npgsql" && a.TraceId == traceId).ToList();
        commands.ShouldNotBeEmpty();
        commands.ShouldAllBe(a => a.GetTagItem("db.query.text") == null);
        commands.ShouldContain(a => a.ParentSpanId == attempt.SpanId || IsBelow(a, attempt));
        _stopped.Where(a => a.TraceId == traceId).ShouldAllBe(a =>
            !a.DisplayName.Contains(marker, StringComparison.Ordinal)
            && !a.TagObjects.Any(t => (t.Value as string ?? string.Empty).Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunEnqueuedWithoutACallerTrace_StillRunsInTheRequestsTrace()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);

        var run = await RunsApi.StartAsync(admin, source, "select 1 as one");
        var runId = run.GetProperty("id").GetGuid();
        await RunsApi.FinishedAsync(admin, runId);
        var stored = await StoredTraceParentAsync(runId);
        var traceId = ActivityTraceId.CreateFromString(stored!.AsSpan(3, 32));
        // The run's own job: the jobs it queues as it finishes (its events' fan-out) continue the trace below it.
        var attempt = await StoppedAsync(a => a.Source.Name == "Loupe.Jobs" && a.TraceId == traceId && a.DisplayName == "job query.run");

        // The attempt continued the request's trace, whatever began it.
        var server = _stopped.Single(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId);
        attempt.ParentSpanId.ShouldBe(server.SpanId);
    }

    private bool IsBelow(Activity child, Activity ancestor)
    {
        var byId = _stopped.Where(a => a.TraceId == child.TraceId).ToDictionary(a => a.SpanId);
        for (var current = child; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<Activity> StoppedAsync(Func<Activity, bool> match) =>
        (await Eventually.HoldsAsync(
            () => Task.FromResult(_stopped.FirstOrDefault(match)),
            found => found is not null,
            TimeSpan.FromSeconds(30),
            "a stopped activity matches",
            _ => $"none among {_stopped.Count}: {string.Join(", ", _stopped.Select(a => $"{a.Source.Name}/{a.DisplayName}/{a.TraceId}"))}"))!;

    private async Task<string?> StoredTraceParentAsync(Guid runId)
    {
        // The test's own look-up is no part of the run's trace: without this it would join the caller's
        // activity, through a connection that is not one of Loupe's pools and so keeps Npgsql's defaults.
        Activity.Current = null;
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT j.trace_parent FROM jobs j JOIN query_runs r ON r.job_id = j.id WHERE r.id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as string;
    }

    /// <summary>Records every activity of the sources a run's trace goes through (the hosts export nothing in tests).</summary>
    private static ActivityListener Listen() => new()
    {
        ShouldListenTo = source => source.Name is "Loupe.Jobs" or "Microsoft.AspNetCore" or "Npgsql" or "Loupe.Tests.Caller",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };
}
