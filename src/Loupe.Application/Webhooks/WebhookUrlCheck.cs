using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.Webhooks;

namespace Loupe.Application.Webhooks;

/// <summary>
/// Before a webhook's URL is saved: it must parse (https outside Development), its host as written must
/// pass the <see cref="WebhookAddressPolicy"/>, and so must every address its name resolves to now. A
/// name that does not resolve today is saved; each delivery checks again on the address it connects to
/// (<see cref="SaveTimeResolution"/>).
/// </summary>
internal static class WebhookUrlCheck
{
    public static async Task<WebhookUrl> ParseAllowedAsync(string? text, WebhookSettings settings, IHostResolver resolver, CancellationToken ct)
    {
        var url = WebhookUrl.Parse(text, settings.AllowHttp);
        if (!settings.AddressPolicy.AllowsHost(url.Host))
        {
            throw new DomainException(WebhookErrors.UrlForbidden);
        }

        var addresses = await SaveTimeResolution.AddressesOfAsync(resolver, url.Host, ct).ConfigureAwait(false);
        return addresses.All(address => settings.AddressPolicy.Allows(url.Host, address)) ? url : throw new DomainException(WebhookErrors.UrlForbidden);
    }
}
