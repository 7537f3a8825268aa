using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Loupe.Integration.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>One envelope as it arrived: its whole text (decompressed) and its items.</summary>
internal sealed record ReceivedEnvelope(string Text, IReadOnlyList<EnvelopeItem> Items);

/// <param name="Type">The item header's <c>type</c>: <c>event</c>, <c>client_report</c>, ...</param>
internal sealed record EnvelopeItem(string Type, JsonElement Payload);

/// <summary>
/// A stand-in for a Sentry server on a real Kestrel socket: accepts what the SDK posts to
/// <c>/api/{project}/envelope/</c>, gzip or not, and keeps every envelope for assertions.
/// </summary>
internal sealed class SentryReceiver : IAsyncDisposable
{
    private const string PublicKey = "loupetestkey";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEnvelope> _envelopes = new();

    private SentryReceiver(WebApplication app) => _app = app;

    /// <summary>A DSN for this receiver (project 1).</summary>
    public string Dsn { get; private set; } = string.Empty;

    public IReadOnlyList<ReceivedEnvelope> Envelopes => [.. _envelopes];

    /// <summary>The payloads of every <c>event</c> item received so far.</summary>
    public IReadOnlyList<JsonElement> Events =>
        [.. Envelopes.SelectMany(envelope => envelope.Items).Where(item => item.Type == "event").Select(item => item.Payload)];

    /// <summary>Everything received, as text: what must not appear anywhere is looked for here.</summary>
    public string AllText => string.Join('\n', Envelopes.Select(envelope => envelope.Text));

    public static async Task<SentryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new SentryReceiver(app);
        app.MapPost("/api/{project}/envelope/", receiver.ReceiveAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        receiver.Dsn = $"http://{PublicKey}@127.0.0.1:{address.Port}/1";
        return receiver;
    }

    /// <summary>Waits until an event matches; fails with what did arrive otherwise.</summary>
    public async Task<JsonElement> WaitForEventAsync(Func<JsonElement, bool> match, TimeSpan patience) =>
        (await Eventually.HoldsAsync(
            () => Task.FromResult(Events.Where(match).Select(e => (JsonElement?)e).FirstOrDefault()),
            found => found is not null,
            patience,
            "a matching event arrives",
            _ => $"received:\n{AllText}")).GetValueOrDefault();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        var source = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        await using (source)
        {
            await source.CopyToAsync(body);
        }

        _envelopes.Enqueue(Parse(body.ToArray()));
        return Results.Ok(new { });
    }

    /// <summary>
    /// Newline-delimited: the envelope header, then for each item its header and its payload (of the
    /// header's <c>length</c> in bytes when given, else up to the next newline).
    /// </summary>
    internal static ReceivedEnvelope Parse(byte[] bytes)
    {
        var items = new List<EnvelopeItem>();
        var position = NextLine(bytes, 0, out _);
        while (position < bytes.Length)
        {
            var payloadStart = NextLine(bytes, position, out var itemHeaderLine);
            if (itemHeaderLine.Length == 0)
            {
                break;
            }

            using var itemHeader = JsonDocument.Parse(itemHeaderLine);
            var type = itemHeader.RootElement.GetProperty("type").GetString()!;
            ReadOnlyMemory<byte> payload;
            if (itemHeader.RootElement.TryGetProperty("length", out var length))
            {
                payload = bytes.AsMemory(payloadStart, length.GetInt32());
                position = Math.Min(bytes.Length, payloadStart + length.GetInt32() + 1);
            }
            else
            {
                position = NextLine(bytes, payloadStart, out payload);
            }

            items.Add(new EnvelopeItem(type, JsonDocument.Parse(payload).RootElement.Clone()));
        }

        return new ReceivedEnvelope(Encoding.UTF8.GetString(bytes), items);
    }

    private static int NextLine(byte[] bytes, int start, out ReadOnlyMemory<byte> line)
    {
        var end = Array.IndexOf(bytes, (byte)'\n', start);
        if (end < 0)
        {
            line = bytes.AsMemory(start);
            return bytes.Length;
        }

        line = bytes.AsMemory(start, end - start);
        return end + 1;
    }
}
