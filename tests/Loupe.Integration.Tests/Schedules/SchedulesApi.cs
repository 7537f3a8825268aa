using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Infrastructure.Schedules;
using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Schedules;

/// <summary>
/// The runs host with the schedules' own tick off: tests tick when they choose (<see cref="TickAsync"/>),
/// and make a schedule due by moving its <c>next_run_at</c> into the past, as downtime would.
/// A schedule pauses itself after 3 failures in a row here.
/// </summary>
public class SchedulesApi : RunsApi
{
    public const string Url = "/api/v1/schedules";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Schedules:Tick"] = "false";
        settings["Schedules:PauseAfterFailures"] = "3";
    }

    /// <summary>One tick of this host's ticker; the number of schedules it fired.</summary>
    public Task<int> TickAsync() => Factory.Services.GetRequiredService<ScheduleTicker>().TickAsync(Ct);

    /// <summary>An organization with a data source and a saved query of <paramref name="sql"/>.</summary>
    public async Task<Organization> OrganizationAsync(string sql = "SELECT 1 AS n", JsonArray? parameters = null)
    {
        var admin = await Identity.RegisterAsync();
        var editor = await Identity.AddMemberAsync(admin, "editor");
        var viewer = await Identity.AddMemberAsync(admin, "viewer");
        var source = await CreateSourceAsync(admin);
        var query = await CreateQueryAsync(editor, source, sql, parameters);
        return new Organization(admin, editor, viewer, source, query);
    }

    public static async Task<Guid> CreateQueryAsync(Member editor, Guid sourceId, string sql, JsonArray? parameters = null)
    {
        var body = new JsonObject { ["name"] = $"q {Guid.NewGuid():N}", ["sql"] = sql, ["datasource_id"] = sourceId, ["parameters"] = parameters ?? [] };
        using var response = await SendAsync(editor, HttpMethod.Post, "/api/v1/queries", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    public static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url)
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }

    /// <summary>Creates a schedule; its body and ETag.</summary>
    public static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, Guid queryId, string cron = "*/5 * * * *", JsonObject? extra = null)
    {
        var body = new JsonObject { ["query_id"] = queryId, ["name"] = "Every five minutes", ["cron"] = cron };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        using var response = await SendAsync(member, HttpMethod.Post, Url, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    public static async Task<JsonElement> GetAsync(Member member, Guid id)
    {
        using var response = await SendAsync(member, HttpMethod.Get, $"{Url}/{id}");
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Makes schedules due, as if Loupe had been down since <paramref name="since"/> ago.</summary>
    public Task MakeDueAsync(TimeSpan since, params Guid[] ids) =>
        ExecuteOwnerAsync($"UPDATE schedules SET next_run_at = now() - interval '{(long)since.TotalSeconds} seconds' WHERE id IN ({string.Join(", ", ids.Select(id => $"'{id}'"))})");

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs of the schedule, counted from the rows.</summary>
    public Task<long> RunsOfAsync(Guid scheduleId) => ScalarAsync($"SELECT count(*) FROM query_runs WHERE schedule_id = '{scheduleId}'");

    /// <summary>Waits until every run of the schedules has finished and the tick has counted it.</summary>
    public Task SettledAsync() =>
        Eventually.HoldsAsync(
            async () =>
            {
                await TickAsync();
                return await ScalarAsync("SELECT count(*) FROM query_runs WHERE schedule_id IS NOT NULL AND NOT schedule_settled") == 0;
            },
            TimeSpan.FromSeconds(60),
            "every run of a schedule finished and counted",
            DescribeRunsAsync,
            TimeSpan.FromMilliseconds(200));

    public sealed record Organization(Member Admin, Member Editor, Member Viewer, Guid SourceId, Guid QueryId);
}
