using System.Net.Sockets;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.DataSources;

/// <summary>
/// Before a data source's connection settings are saved, its host must pass the <see cref="HostPolicy"/>:
/// as written (every numeric spelling normalized) and on every address its name resolves to now. A name
/// that does not resolve today is saved; the connector checks again, on the address it connects to,
/// every time it opens a connection (ADR 0027).
/// </summary>
internal static class DataSourceHostCheck
{
    /// <summary>How long a save waits for a name to resolve before it saves without the answer.</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

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

        if (HostAddresses.TryParseLiteral(host, out _))
        {
            return;
        }

        IReadOnlyList<System.Net.IPAddress> addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            addresses = await resolver.ResolveAsync(host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is SocketException || (failure is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return;
        }

        foreach (var address in addresses)
        {
            if (policy.CheckAddress(host, address) is { } refusedAddress)
            {
                throw new DomainException(refusedAddress);
            }
        }
    }
}
