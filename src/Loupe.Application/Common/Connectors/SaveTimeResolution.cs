using System.Net;
using System.Net.Sockets;
using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>
/// What a save checks a host name on: the addresses it resolves to now. A name that does not resolve,
/// or not within <see cref="Timeout"/>, is saved without them (the connection checks again, on the
/// address it connects to, every time); an address written as the host is checked as written by the
/// caller's policy, so it resolves to none here. Data sources (ADR 0027) and webhooks check their hosts
/// this way before they are saved.
/// </summary>
internal static class SaveTimeResolution
{
    /// <summary>How long a save waits for a name to resolve before it saves without the answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The addresses <paramref name="host"/> resolves to now; none for an address literal or a name that does not resolve in time.</summary>
    public static async Task<IReadOnlyList<IPAddress>> AddressesOfAsync(IHostResolver resolver, string host, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        if (HostAddresses.TryParseLiteral(host, out _))
        {
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            return await resolver.ResolveAsync(host, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is SocketException || (failure is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return [];
        }
    }
}
