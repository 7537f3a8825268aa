using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Loupe.Application.Common.Events;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Webhooks;
using Loupe.Application.Webhooks.Commands.CreateWebhook;
using Loupe.Application.Webhooks.Commands.RedeliverDelivery;
using Loupe.Domain.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// P9 (docs/quality-targets.md, ADRs 0061–0062): events written through the outbox, fanned out and
/// delivered by one worker node to a receiver on this machine. The baseline is the same number of
/// signed POSTs sent straight to the receiver from one client with the node's parallelism: what the
/// receiver and the loopback cost without Loupe. Then the receiver fails half its answers at random,
/// and every event must reach it with a 2xx exactly once per idempotency key (retries of a key are
/// allowed), none lost, counted both at the receiver and in the rows.
/// </summary>
internal static class WebhookBenchmarks
{
    private const int Organizations = 10;
    private const int EventsPerOrganization = 100;
    private const int Events = Organizations * EventsPerOrganization;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var database = await BenchDatabase.CreateAsync(settings, 1);
        try
        {
            await using var loupe = LoupeHosts.For(database);
            await using var receiver = new Receiver();
            var tenants = new List<BenchTenant>();
            for (var i = 1; i <= Organizations; i++)
            {
                var tenant = await loupe.AddTenantAsync($"Webhooks {i}");
                await loupe.SendAsync(tenant, new CreateWebhookCommand("Bench receiver", receiver.Url, [WebhookEvents.RunSucceeded]));
                tenants.Add(tenant);
            }

            Console.WriteLine(
                $"== webhooks: P9, {Events:N0} events ({EventsPerOrganization} in each of {Organizations} organizations) through the outbox, fanned out and delivered" +
                $" by one worker node (Jobs:Concurrency {loupe.Jobs.Concurrency}, Jobs:MaxRunningPerOrganization {loupe.Jobs.MaxRunningPerOrganization}) to a receiver on 127.0.0.1 ==");

            var baseline = await BaselineAsync(receiver, loupe.Jobs.Concurrency);
            receiver.Reset(failHalf: false);
            TimeSpan delivered;
            await using (var worker = await loupe.StartWorkerAsync())
            {
                var started = Stopwatch.GetTimestamp();
                await AddEventsAsync(loupe, tenants);
                await WaitAsync(() => receiver.Succeeded.Count >= Events, "every event delivered");
                delivered = Stopwatch.GetElapsedTime(started);
                Console.WriteLine($"        handlers: {Durations(worker.Watch, WebhookJobKinds.FanOut)}; {Durations(worker.Watch, WebhookJobKinds.Deliver)}");
            }

            receiver.Reset(failHalf: false);
            await using (var worker = await loupe.StartWorkerAsync())
            {
                using var statements = new StatementCounter();
                await AddEventsAsync(loupe, tenants);
                await WaitAsync(() => receiver.Succeeded.Count >= Events, "every traced event delivered");
                Console.WriteLine($"        round trips per delivery (fan-out and attempt jobs, events saved), from Npgsql's tracing over {Events:N0} more: {statements.PerItem(Events)}");
                Console.WriteLine($"        mean time of each: {statements.MeanTimes()}");
            }

            Console.WriteLine(
                $"P9      {Events:N0} deliveries, events saved → last 2xx at the receiver: {Seconds(delivered)} ({PerSecond(Events / delivered.TotalSeconds, "deliveries")})" +
                $" | baseline the same {Events:N0} signed POSTs straight to the receiver, {loupe.Jobs.Concurrency} at once: {Seconds(baseline)}" +
                $" | ratio {Ratio(delivered, baseline)} | target < 5 s");
            Report(receiver, "all answered 2xx");

            receiver.Reset(failHalf: true);
            await using (var worker = await loupe.StartWorkerAsync())
            {
                var started = Stopwatch.GetTimestamp();
                await AddEventsAsync(loupe, tenants);
                var redelivered = 0;
                while (true)
                {
                    await WaitAsync(async () => await CountAsync(database, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'") == 0
                        && await CountAsync(database, "SELECT count(*) FROM webhook_deliveries") == 3 * Events, "every delivery finished");
                    var dead = await DeadLetteredAsync(database);
                    if (dead.Count == 0)
                    {
                        break;
                    }

                    // Dead-lettered after six failed attempts: visible, and redelivered the way an admin would.
                    redelivered += dead.Count;
                    foreach (var (organizationId, deliveryId) in dead)
                    {
                        await loupe.SendAsync(tenants.Single(t => t.OrganizationId == organizationId), new RedeliverDeliveryCommand(deliveryId));
                    }
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                var events = await CountAsync(database, "SELECT count(*) FROM outbox_events");
                var succeeded = await CountAsync(database, "SELECT count(*) FROM webhook_deliveries WHERE status = 'succeeded'");
                Console.WriteLine(
                    $"P9      receiver failing half its answers at random: {Events:N0} more events, all delivered in {Seconds(elapsed)};" +
                    $" {receiver.Requests} requests for {receiver.Succeeded.Count:N0} keys, {redelivered} dead-lettered after 6 attempts and redelivered" +
                    $" | rows: {events:N0} events, {succeeded:N0} deliveries succeeded of {3 * Events:N0} (the traced pass included)");
                Report(receiver, "half the answers failed");
            }
        }
        finally
        {
            await database.DropAsync();
        }

        return 0;
    }

    private static string Durations(JobWatch watch, string kind)
    {
        var sorted = watch.Durations(kind).Order().ToList();
        return sorted.Count == 0
            ? $"{kind} none"
            : $"{kind} {sorted.Count:N0}, p50 {sorted[sorted.Count / 2].TotalMilliseconds:0.0} ms, p99 {sorted[(int)(sorted.Count * 0.99)].TotalMilliseconds:0.0} ms";
    }

    /// <summary>Exactly once per key, none lost: one 2xx per key, as many keys as events.</summary>
    private static void Report(Receiver receiver, string what)
    {
        var twice = receiver.Succeeded.Count(pair => pair.Value > 1);
        var lost = Events - receiver.Succeeded.Count;
        Console.WriteLine(
            $"        {what}: {receiver.Succeeded.Count:N0} idempotency keys answered 2xx, {twice} of them more than once, {lost} events lost" +
            (twice == 0 && lost == 0 ? " | exactly once, none lost" : " | FAILED: not exactly once"));
    }

    private static async Task AddEventsAsync(LoupeHosts loupe, List<BenchTenant> tenants)
    {
        await Task.WhenAll(tenants.Select(async tenant =>
        {
            var scope = loupe.Services.CreateAsyncScope();
            await using (scope)
            {
                scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(tenant.OrganizationId);
                var outbox = scope.ServiceProvider.GetRequiredService<IEventOutbox>();
                for (var i = 0; i < EventsPerOrganization; i++)
                {
                    outbox.Add(WebhookEvents.RunSucceeded, tenant.OrganizationId, new { RunId = Guid.CreateVersion7(), Status = "succeeded", RowCount = i });
                }

                await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
            }
        }));
    }

    /// <summary>The same number of signed POSTs, straight to the receiver, <paramref name="parallelism"/> at once.</summary>
    private static async Task<TimeSpan> BaselineAsync(Receiver receiver, int parallelism)
    {
        receiver.Reset(failHalf: false);
        using var client = new HttpClient();
        var body = "{\"event_id\":\"x\",\"type\":\"run.succeeded\",\"data\":{}}"u8.ToArray();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (_, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.Add("X-Loupe-Delivery", Guid.NewGuid().ToString());
            request.Headers.Add("X-Loupe-Signature", WebhookSignature.Sign("whsec_bench", timestamp, body));
            using var response = await client.SendAsync(request, ct);
        });
        return Stopwatch.GetElapsedTime(started);
    }

    private static async Task<List<(Guid OrganizationId, Guid DeliveryId)>> DeadLetteredAsync(BenchDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT organization_id, id FROM webhook_deliveries WHERE status = 'dead_lettered'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, Guid)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetGuid(1)));
        }

        return rows;
    }

    private static async Task<long> CountAsync(BenchDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException($"Not done after {Patience}: {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>A receiver on 127.0.0.1: counts 2xx answers per X-Loupe-Delivery key, and fails half its answers at random when told.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private volatile bool _failHalf;
        private int _requests;

        public Receiver()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook";
            }

            _listener.Prefixes.Add(Url[..^"hook".Length]);
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public ConcurrentDictionary<string, int> Succeeded { get; private set; } = new();

        public int Requests => _requests;

        public void Reset(bool failHalf)
        {
            _failHalf = failHalf;
            Succeeded = new();
            _requests = 0;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                await _loop;
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    Interlocked.Increment(ref _requests);
                    var fail = _failHalf && Random.Shared.Next(2) == 0;
                    if (!fail)
                    {
                        Succeeded.AddOrUpdate(context.Request.Headers["X-Loupe-Delivery"] ?? string.Empty, 1, (_, n) => n + 1);
                    }

                    context.Response.StatusCode = fail ? 503 : 204;
                    context.Response.Close();
                });
            }
        }
    }
}
