using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.DataSources;

/// <summary>
/// Before a data source's connection settings are saved, its host must pass the <see cref="HostPolicy"/>:
/// as written (every numeric spelling normalized) and on every address its name resolves to now. A name
/// that does not resolve today is saved; the connector checks again, on the address it connects to,
/// every time it opens a connection (ADR 0027, <see cref="SaveTimeResolution"/>).
/// </summary>
internal static class DataSourceHostCheck
{
    public static async Task EnsureAllowedAsync(HostPolicy policy, IHostResolver resolver, ConnectionSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Host is not { } host)
        {
            return;
        }

        if (policy.CheckHost(host) is { } refused)
        {
            throw new DomainException(refused);
        }

        foreach (var address in await SaveTimeResolution.AddressesOfAsync(resolver, host, ct).ConfigureAwait(false))
        {
            if (policy.CheckAddress(host, address) is { } refusedAddress)
            {
                throw new DomainException(refusedAddress);
            }
        }
    }
}
