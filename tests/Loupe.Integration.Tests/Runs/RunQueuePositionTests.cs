using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Runs;

/// <summary>An API host without the job engine: runs stay queued, so their places in the queue can be watched.</summary>
public sealed class IdleRunsApi : RunsApi
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Jobs:RunInApi"] = "false";
    }
}

/// <summary>A queued run's place in its organization's queue: answered when it starts and when it is read, moving as the queue moves.</summary>
public sealed class RunQueuePositionTests(IdleRunsApi api) : ResetBeforeEachTest(api), IClassFixture<IdleRunsApi>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueuePosition_CountsTheOrganizationsWaitingRunsBeforeIt_AndMovesWithTheQueue()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = await api.CreateSourceAsync(admin);
        var first = await RunsApi.StartAsync(admin, source, "select 1 as one");
        var second = await RunsApi.StartAsync(admin, source, "select 2 as two");
        var third = await RunsApi.StartAsync(admin, source, "select 3 as three");
        var other = await api.Identity.RegisterAsync();
        var theirs = await RunsApi.StartAsync(other, await api.CreateSourceAsync(other), "select 4 as four");

        first.GetProperty("queue_position").GetInt32().ShouldBe(1);
        second.GetProperty("queue_position").GetInt32().ShouldBe(2);
        third.GetProperty("queue_position").GetInt32().ShouldBe(3);
        theirs.GetProperty("queue_position").GetInt32().ShouldBe(1);

        var thirdUrl = $"/api/v1/runs/{third.GetProperty("id").GetGuid()}";
        using var before = await admin.Client.GetAsync(thirdUrl, Ct);
        before.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadAsync(before)).GetProperty("queue_position").GetInt32().ShouldBe(3);
        var tag = before.Headers.ETag!;

        using (var cancel = await admin.Client.PostAsync($"/api/v1/runs/{first.GetProperty("id").GetGuid()}/cancel", null, Ct))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, thirdUrl);
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(tag.Tag, tag.IsWeak));
        using var after = await admin.Client.SendAsync(request, Ct);
        after.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ReadAsync(after)).GetProperty("queue_position").GetInt32().ShouldBe(2);

        // Lists do not compute it.
        var listed = (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/runs")).First();
        listed.GetProperty("queue_position").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
}
