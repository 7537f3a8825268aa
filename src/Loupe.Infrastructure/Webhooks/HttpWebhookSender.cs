using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Loupe.Application.Webhooks;
using Loupe.Domain.DataSources;
using Loupe.Domain.Webhooks;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>
/// Sends deliveries over one <see cref="HttpClient"/> for the process: pooled connections (renewed every
/// two minutes, so a moved receiver is found again), a 10-second timeout, redirects never followed (a
/// 3xx is an answer like any other, tried again later). Its connect callback resolves the host itself
/// and connects only to an address the <see cref="WebhookAddressPolicy"/> allows, then checks the
/// address the socket actually reached, so DNS rebinding between the save and the delivery gains nothing.
/// </summary>
internal sealed class HttpWebhookSender : IWebhookSender, IDisposable
{
    public const string EventHeader = "X-Loupe-Event";
    public const string DeliveryHeader = "X-Loupe-Delivery";
    public const string TimestampHeader = "X-Loupe-Timestamp";
    public const string SignatureHeader = "X-Loupe-Signature";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly ProductInfoHeaderValue UserAgent = new("Loupe-Webhooks", "1.0");
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _client;
    private readonly TimeProvider _clock;

    public HttpWebhookSender(WebhookSettings settings, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = Timeout,
            MaxConnectionsPerServer = 64,
            ConnectCallback = (context, ct) => ConnectAsync(settings.AddressPolicy, context.DnsEndPoint, ct),
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout };
    }

    public async Task<WebhookSendResult> SendAsync(WebhookMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Url);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Add(EventHeader, message.EventType);
        request.Headers.Add(DeliveryHeader, message.DeliveryId.ToString());
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, WebhookSignature.Sign(message.Secret, timestamp, message.Body.Span));
        request.Content = new ReadOnlyMemoryContent(message.Body);
        request.Content.Headers.ContentType = Json;

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            return new WebhookSendResult((int)response.StatusCode, null, Elapsed(started));
        }
        catch (HttpRequestException failure) when (Refusal(failure) is { } refused)
        {
            return new WebhookSendResult(null, refused.Message, Elapsed(started), AddressRefused: true);
        }
        catch (HttpRequestException failure)
        {
            return new WebhookSendResult(null, DescribeFailure(failure), Elapsed(started));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookSendResult(null, $"No answer within {Timeout.TotalSeconds:0} seconds.", Elapsed(started));
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Connects to the first address of <paramref name="endpoint"/> the policy allows, and refuses when
    /// none is allowed or the socket reached another address than the one allowed.
    /// </summary>
    internal static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy policy, DnsEndPoint endpoint, CancellationToken ct)
    {
        var host = endpoint.Host;
        IPAddress[] addresses = HostAddresses.TryParseLiteral(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        var allowed = addresses.Where(address => policy.Allows(host, address)).ToList();
        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException();
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct).ConfigureAwait(false);
                if (socket.RemoteEndPoint is not IPEndPoint reached || !policy.Allows(host, reached.Address))
                {
                    throw new WebhookAddressRefusedException();
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException failure)
            {
                socket.Dispose();
                last = failure;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static WebhookAddressRefusedException? Refusal(Exception failure)
    {
        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is WebhookAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>A few words on why no answer came; never the receiver's body or Loupe's internals.</summary>
    private static string DescribeFailure(HttpRequestException failure) => failure.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "The receiver's host name does not resolve.",
        HttpRequestError.ConnectionError => "Could not connect to the receiver.",
        HttpRequestError.SecureConnectionError => "The TLS handshake with the receiver failed.",
        HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "The receiver's answer was cut off or malformed.",
        _ => "The request to the receiver failed.",
    };

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

/// <summary>Every address of the receiver is one Loupe does not deliver to.</summary>
internal sealed class WebhookAddressRefusedException : Exception
{
    public WebhookAddressRefusedException()
        : base("The receiver's host resolves only to addresses Loupe does not deliver to (loopback, private, link-local, unique-local, multicast, unspecified or a cloud metadata service).")
    {
    }

    public WebhookAddressRefusedException(string message)
        : base(message)
    {
    }

    public WebhookAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
