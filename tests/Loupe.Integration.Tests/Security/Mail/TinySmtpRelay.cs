using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Loupe.Integration.Tests.Security.Mail;

/// <summary>
/// Just enough of an SMTP server on 127.0.0.1 for one plain-text delivery: it answers every
/// command with success and hands back the whole conversation the client sent.
/// </summary>
internal sealed class TinySmtpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<string> _conversation;

    private TinySmtpRelay()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _conversation = ServeOneAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task<string> Received => _conversation;

    public static TinySmtpRelay Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _conversation;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The test ended before or during the conversation; nothing to collect.
        }

        _stop.Dispose();
    }

    private async Task<string> ServeOneAsync(CancellationToken cancellationToken)
    {
        using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        var seen = new StringBuilder();

        await writer.WriteLineAsync("220 tiny.test ESMTP");
        var inData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            seen.Append(line).Append('\n');
            if (inData)
            {
                if (line == ".")
                {
                    inData = false;
                    await writer.WriteLineAsync("250 queued");
                }

                continue;
            }

            var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (command)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-tiny.test");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "DATA":
                    inData = true;
                    await writer.WriteLineAsync("354 end with .");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return seen.ToString();
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }

        return seen.ToString();
    }
}
