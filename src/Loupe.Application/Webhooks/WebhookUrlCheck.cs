using System.Net;
using System.Net.Sockets;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>
/// Before a webhook's URL is saved: it must parse (https outside Development), its host as written must
/// pass the <see cref="WebhookAddressPolicy"/>, and so must every address its name resolves to now. A
/// name that does not resolve today is saved; each delivery checks again on the address it connects to.
/// </summary>
internal static class WebhookUrlCheck
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public static async Task<WebhookUrl> ParseAllowedAsync(string? text, WebhookSettings settings, IHostResolver resolver, CancellationToken ct)
    {
        var url = WebhookUrl.Parse(text, settings.AllowHttp);
        if (!settings.AddressPolicy.AllowsHost(url.Host))
        {
            throw new DomainException(WebhookErrors.UrlForbidden);
        }

        if (HostAddresses.TryParseLiteral(url.Host, out _))
        {
            return url;
        }

        IReadOnlyList<IPAddress> addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            addresses = await resolver.ResolveAsync(url.Host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is SocketException || (failure is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return url;
        }

        return addresses.All(address => settings.AddressPolicy.Allows(url.Host, address)) ? url : throw new DomainException(WebhookErrors.UrlForbidden);
    }
}
