using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Runs;

/// <summary>An API host without the engine: every run stays queued.</summary>
public sealed class QueuedRunsApi : RunsApi
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Jobs:RunInApi"] = "false";
}

/// <summary>Issue 10 point 4: an organization may have at most Runs:MaxQueuedPerOrganization (200) runs waiting to start (ADR 0030).</summary>
public sealed class RunQueueCapTests(QueuedRunsApi api) : ResetBeforeEachTest(api), IClassFixture<QueuedRunsApi>
{
    private const int Cap = 200;

    [Fact]
    public async Task The201stQueuedRun_Is429WithItsCodeAndRetryAfter_AndNothingIsCreated_UntilARunLeavesTheQueue()
    {
        var admin = await api.Identity.RegisterAsync();
        var other = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        var otherSource = await api.CreateSourceAsync(other);
        var query = await SaveQueryAsync(admin, source);
        var runs = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Cap),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => runs.Add((await RunsApi.StartAsync(admin, source, $"select {i} as n")).GetProperty("id").GetGuid()));

        await ShouldBeQueueFullAsync(await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "select 201 as n" }, TestContext.Current.CancellationToken));
        await ShouldBeQueueFullAsync(await admin.Client.PostAsJsonAsync($"/api/v1/queries/{query}/runs", new { }, TestContext.Current.CancellationToken));

        (await CountAsync($"select count(*) from query_runs where organization_id = '{admin.OrganizationId}'")).ShouldBe(Cap);
        (await CountAsync($"select count(*) from jobs where organization_id = '{admin.OrganizationId}'")).ShouldBe(Cap);

        // Another organization's queue is its own.
        await RunsApi.StartAsync(other, otherSource, "select 1 as n");

        // A run that leaves the queue (here: cancelled) makes room for one more.
        using (var cancel = await admin.Client.PostAsync($"/api/v1/runs/{runs.First()}/cancel", null, TestContext.Current.CancellationToken))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK, await cancel.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await RunsApi.StartAsync(admin, source, "select 202 as n");
        await ShouldBeQueueFullAsync(await admin.Client.PostAsJsonAsync("/api/v1/runs", new { datasource_id = source, sql = "select 203 as n" }, TestContext.Current.CancellationToken));
    }

    private static async Task ShouldBeQueueFullAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, text);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThan(0);
            var problem = JsonDocument.Parse(text).RootElement;
            problem.GetProperty("status").GetInt32().ShouldBe(429);
            problem.GetProperty("code").GetString().ShouldBe("run.queue_full");
        }
    }

    private static async Task<Guid> SaveQueryAsync(Member editor, Guid source)
    {
        using var created = await editor.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new { name = $"capped {Guid.NewGuid():N}", sql = "select 1 as n", datasource_id = source },
            TestContext.Current.CancellationToken);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetGuid();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
