using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>
/// A webhook receiver on 127.0.0.1 for tests: records every request (headers and body) and answers
/// each with the status <see cref="Answer"/> chooses (by the request's number, from 1).
/// </summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _count;

    public TestReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status of the n-th request (1-based); 204 unless set.</summary>
    public Func<int, Received, int> Answer { get; set; } = (_, _) => 204;

    /// <summary>How long each answer waits before it is sent.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>The idempotency keys answered with a 2xx.</summary>
    public IReadOnlyCollection<string> DeliveredKeys => [.. Requests.Where(r => r.Status is >= 200 and < 300).Select(r => r.Header("X-Loupe-Delivery")).Distinct()];

    /// <summary>A Location header to send with 3xx answers.</summary>
    public string? Location { get; set; }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
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
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var received = new Received(
                    context.Request.HttpMethod,
                    context.Request.Url?.AbsolutePath ?? string.Empty,
                    context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase),
                    body.ToArray());
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay);
                }

                var number = Interlocked.Increment(ref _count);
                var status = Answer(number, received);
                Requests.Enqueue(received with { Status = status });
                context.Response.StatusCode = status;
                if (Location is not null && status is >= 300 and < 400)
                {
                    context.Response.Headers["Location"] = Location;
                }

                context.Response.Close();
            });
        }
    }

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public int Status { get; init; }

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : string.Empty;
    }
}
