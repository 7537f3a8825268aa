using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Security;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Visualizations;
using Loupe.Infrastructure.Dashboards;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// Dashboards (ADR 0056), through the real API host over HTTP (<see cref="BenchApi"/>): P1, a cached
/// <c>GET /dashboards/{id}</c> of a 20-tile dashboard and its 304 revalidation, in requests per second
/// under wrk beside the authenticated no-op endpoint of the same host, in the same run (targets: at
/// least 0.6 × and 0.8 ×); the first, uncached GET of that dashboard (every tile's result stored), whose
/// p99 should stay under 100 ms; P2, the first and a deep page of <c>GET /dashboards</c> and
/// <c>GET /visualizations</c> with 100,000 rows in the organization (p99 under 50 ms), for the lists the
/// host has. Nothing is asserted: the figures depend on the machine.
/// </summary>
internal static partial class DashboardBenchmarks
{
    private const int Tiles = 20;
    private const int RowsPerTile = 10;
    private const int Samples = 300;
    private const int ListRows = 100_000;
    private const int PerPage = 50;
    private const string Wrk = "wrk";
    private const int Rounds = 3;
    private static readonly TimeSpan LoadFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarmFor = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var database = await BenchDatabase.CreateAsync(settings, 1);
        try
        {
            await using var api = new BenchApi(database);
            using var client = api.Start();
            var (token, organizationId, userId) = await RegisterAsync(client);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var dashboardId = await TwentyTilesAsync(api, client, database, organizationId, userId);
            var url = new Uri(client.BaseAddress!, $"/api/v1/dashboards/{dashboardId}");
            var cache = api.Services.GetRequiredService<DashboardViewCache>();
            while (!cache.Listening)
            {
                await Task.Delay(50);
            }

            // The first GET after any change: the cache emptied before each one.
            var uncached = new List<TimeSpan>(Samples);
            var bytes = 0;
            for (var i = 0; i < Samples + 20; i++)
            {
                cache.ChangedAll();
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url);
                var body = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started);
                response.EnsureSuccessStatusCode();
                bytes = body.Length;
                if (i >= 20)
                {
                    uncached.Add(elapsed);
                }
            }

            using var last = await client.GetAsync(url);
            var etag = last.Headers.ETag!.Tag;
            var cached = new List<TimeSpan>(Samples);
            for (var i = 0; i < Samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                cached.Add(Stopwatch.GetElapsedTime(started));
            }

            Console.WriteLine($"== dashboards: GET /dashboards/{{id}} of {Tiles} tiles ({RowsPerTile} rows x 3 columns each, stored), {bytes:N0} bytes of JSON, through the API host over HTTP ==");
            Console.WriteLine($"first (uncached) GET, the cache emptied before each: {P50P99(uncached)} (target p99 < 100 ms)");
            Console.WriteLine($"cached GET, one at a time:                      {P50P99(cached)}");

            // The three take turns, round after round, so that a machine busy with other work weighs on each alike.
            var noOp = new Uri(client.BaseAddress!, BenchApi.NoOpPath);
            var authorization = $"Authorization: Bearer {token}";
            var (baseline, served, revalidated) = (new List<double>(), new List<double>(), new List<double>());
            for (var round = 0; round < Rounds; round++)
            {
                baseline.Add(await LoadAsync(noOp, authorization));
                served.Add(await LoadAsync(url, authorization));
                revalidated.Add(await LoadAsync(url, authorization, $"If-None-Match: {etag}"));
            }

            var noOpRate = baseline.Average();
            Console.WriteLine($"P1, wrk -t1 -c16 for {LoadFor.TotalSeconds:0} s each, {Rounds} rounds taking turns, one user's access token (mean of the rounds):");
            Console.WriteLine($"  authenticated no-op (baseline):   {PerSecond(noOpRate, "req")} (rounds: {string.Join(", ", baseline.Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"  cached GET, 200 with the body:    {PerSecond(served.Average(), "req")} = {Ratio(served.Average(), noOpRate)} x the no-op (target >= 0.6)");
            Console.WriteLine($"  If-None-Match revalidation, 304:  {PerSecond(revalidated.Average(), "req")} = {Ratio(revalidated.Average(), noOpRate)} x the no-op (target >= 0.8)");

            await ListsAsync(client, database, organizationId, userId);
            return 0;
        }
        finally
        {
            await database.DropAsync();
        }
    }

    /// <summary>Registers the bench's admin; answers the access token, the organization and the user.</summary>
    private static async Task<(string Token, Guid OrganizationId, Guid UserId)> RegisterAsync(HttpClient client)
    {
        using var registered = await client.PostAsJsonAsync(
            "/api/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@bench.invalid", password = "correct horse battery staple", name = "Bench", organization_name = "Dashboards bench" });
        var tokens = await Ok(registered);
        var token = tokens.GetProperty("access_token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await client.SendAsync(request);
        var body = await Ok(me);
        return (token, body.GetProperty("organization").GetProperty("id").GetGuid(), body.GetProperty("id").GetGuid());
    }

    /// <summary>
    /// A dashboard of 20 visualization tiles, each of its own saved query on the bench database, refreshed
    /// through the API until every run succeeded.
    /// </summary>
    private static async Task<Guid> TwentyTilesAsync(BenchApi api, HttpClient client, BenchDatabase database, Guid organizationId, Guid userId)
    {
        var owner = new NpgsqlConnectionStringBuilder(database.OwnerConnection);
        var source = await Ok(await client.PostAsJsonAsync("/api/v1/datasources", new
        {
            name = "Bench database",
            type = "postgresql",
            settings = new { host = owner.Host, port = owner.Port, database = database.Name, username = owner.Username, password = owner.Password, ssl_mode = "disable" },
        }));
        var queryIds = new List<Guid>();
        for (var i = 1; i <= Tiles; i++)
        {
            var query = await Ok(await client.PostAsJsonAsync("/api/v1/queries", new
            {
                name = $"Series {i}",
                sql = $"select g as n, g * {i} as v, 'row ' || g as label from generate_series(1, {RowsPerTile}) g",
                datasource_id = source.GetProperty("id").GetGuid(),
            }));
            queryIds.Add(query.GetProperty("id").GetGuid());
        }

        Guid dashboardId;
        var scope = api.Services.CreateAsyncScope();
        await using (scope)
        {
            scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(organizationId);
            var context = scope.ServiceProvider.GetRequiredService<LoupeDbContext>();
            var queries = await context.Set<SavedQuery>().Where(q => queryIds.Contains(q.Id)).ToListAsync();
            var now = DateTimeOffset.UtcNow;
            var visualizations = queries.OrderBy(q => queryIds.IndexOf(q.Id))
                .Select(q => Visualization.Create(Guid.CreateVersion7(), q, userId, q.Name, null, new CounterOptions("v"), null, now))
                .ToList();
            context.AddRange(visualizations);
            var tiles = visualizations.Select((v, i) => DashboardTile.OfVisualization($"t{i}", v.Id, i % 4 * 6, i / 4 * 4, 6, 4)).ToArray();
            var dashboard = Dashboard.Create(
                Guid.CreateVersion7(), organizationId, userId, "Twenty tiles", null, null, tiles, [], [],
                visualizations.ToDictionary(v => v.Id, _ => (IReadOnlyList<Domain.Queries.Parameters.ParameterDefinition>)[]), now);
            context.Add(dashboard);
            await context.SaveChangesAsync();
            dashboardId = dashboard.Id;
        }

        var refresh = await Ok(await client.PostAsJsonAsync($"/api/v1/dashboards/{dashboardId}/refresh", new { }));
        foreach (var queued in refresh.GetProperty("queued").EnumerateArray())
        {
            var runId = queued.GetProperty("run_id").GetGuid();
            while (true)
            {
                var run = await Ok(await client.GetAsync($"/api/v1/runs/{runId}"));
                var status = run.GetProperty("status").GetString();
                if (status == "succeeded")
                {
                    break;
                }

                if (status is "failed" or "cancelled" or "timed_out")
                {
                    throw new InvalidOperationException($"A run of the bench dashboard ended {status}: {run}");
                }

                await Task.Delay(50);
            }
        }

        return dashboardId;
    }

    /// <summary>P2: 100,000 dashboards and visualizations in the organization; the first and a deep page of each list the host has.</summary>
    private static async Task ListsAsync(HttpClient client, BenchDatabase database, Guid organizationId, Guid userId)
    {
        await using (var connection = new NpgsqlConnection(database.OwnerConnection))
        {
            await connection.OpenAsync();
            await using var fill = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(
                        "INSERT INTO dashboards (id, organization_id, name, description, tags, tiles, parameters, parameter_mappings, owner_id, latest_version, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, 'Dashboard ' || g, NULL, ARRAY['t' || (g % 50)], '[]', '[]', '[]', $2, 1, " +
                        "now() - g * interval '1 minute', now() - g * interval '1 minute' FROM generate_series(1, $3) g")
                    {
                        Parameters = { Value(organizationId), Value(userId), Value(ListRows) },
                    },
                    new NpgsqlBatchCommand(
                        "INSERT INTO visualizations (id, organization_id, query_id, name, description, type, options, tags, owner_id, created_at, updated_at) " +
                        "SELECT gen_random_uuid(), $1, (SELECT id FROM saved_queries WHERE organization_id = $1 LIMIT 1), 'Chart ' || g, NULL, 'counter', " +
                        "'{\"value_column\": \"v\"}', ARRAY['t' || (g % 50)], $2, now() - g * interval '1 minute', now() - g * interval '1 minute' FROM generate_series(1, $3) g")
                    {
                        Parameters = { Value(organizationId), Value(userId), Value(ListRows) },
                    },
                },
            };
            await fill.ExecuteNonQueryAsync();

            // What autovacuum leaves soon after a bulk insert: statistics, and the visibility map the
            // lists' index-only scans rely on (ADR 0060). A transaction of the host's workers that
            // began before the insert keeps VACUUM from marking pages all-visible: repeat until
            // nearly all are.
            foreach (var table in new[] { "dashboards", "visualizations" })
            {
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    await using (var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection))
                    {
                        await vacuum.ExecuteNonQueryAsync();
                    }

                    await using var visible = new NpgsqlCommand(
                        $"SELECT relallvisible::float8 / greatest(relpages, 1) FROM pg_class WHERE oid = '{table}'::regclass", connection);
                    if ((double)(await visible.ExecuteScalarAsync())! >= 0.99)
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(250));
                }
            }
        }

        var deepPage = ListRows / PerPage - 10;
        Console.WriteLine($"P2, {ListRows:N0} rows of each in the organization, per_page={PerPage}, {Samples} GETs each, one at a time (target p99 < 50 ms):");
        foreach (var list in new[] { "/api/v1/dashboards", "/api/v1/visualizations" })
        {
            foreach (var (label, page) in new[] { ("first page", 1), ($"page {deepPage}", deepPage) })
            {
                var url = $"{list}?per_page={PerPage}&page={page}";
                using (var probe = await client.GetAsync(url))
                {
                    if (probe.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                    {
                        Console.WriteLine($"  GET {list}: not served by this build (HTTP {(int)probe.StatusCode}); no figure");
                        break;
                    }

                    await Ok(probe);
                }

                var times = new List<TimeSpan>(Samples);
                for (var i = 0; i < Samples; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    times.Add(Stopwatch.GetElapsedTime(started));
                    response.EnsureSuccessStatusCode();
                }

                Console.WriteLine($"  GET {list}, {label}: {P50P99(times)}");
            }
        }
    }

    /// <summary>Requests per second wrk reaches against <paramref name="url"/> with these headers, after a short warm-up.</summary>
    private static async Task<double> LoadAsync(Uri url, params string[] headers)
    {
        await RunWrkAsync(url, WarmFor, headers);
        var output = await RunWrkAsync(url, LoadFor, headers);
        var rate = RequestsPerSecond().Match(output);
        if (!rate.Success || output.Contains("Non-2xx or 3xx responses", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk against {url} did not answer as expected:\n{output}");
        }

        return double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> RunWrkAsync(Uri url, TimeSpan duration, string[] headers)
    {
        var start = new ProcessStartInfo(Wrk) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t1", "-c16", "--latency", "-d", $"{duration.TotalSeconds:0}s" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var header in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add(header);
        }

        start.ArgumentList.Add(url.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk could not be started; build/bench.sh installs it.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {errors}{output}");
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
            }

            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
