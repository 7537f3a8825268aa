using System.Net;
using Loupe.Domain.DataSources;

namespace Loupe.Domain.Webhooks;

/// <summary>
/// Where a webhook may deliver: only to public addresses. Loopback, private (10/8, 172.16/12,
/// 192.168/16, shared 100.64/10), link-local, unique-local (fc00::/7), multicast, broadcast, the
/// unspecified addresses and cloud metadata services are refused, in every spelling
/// (<see cref="HostAddresses"/> normalizes decimal, octal, hex and IPv6-mapped forms). Operators
/// allow on-premises receivers by name, address or network (<c>Webhooks:AllowedHosts</c>), which lifts
/// every rule but link-local, multicast, broadcast and the metadata services. The rule applies to the host as written, to the addresses it
/// resolves to when saved, and to the address each delivery actually connects to.
/// </summary>
public sealed class WebhookAddressPolicy
{
    private static readonly IPNetwork[] NonPublicNetworks =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"), // shared address space (carrier-grade NAT)
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("240.0.0.0/4"), // reserved
        IPNetwork.Parse("fc00::/7"), // unique-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated)
        IPNetwork.Parse("100::/64"), // discard-only
        IPNetwork.Parse("2001:db8::/32"), // documentation
    ];

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<IPNetwork> _networks = [];

    public WebhookAddressPolicy(IEnumerable<string>? allowedHosts = null)
    {
        foreach (var entry in allowedHosts ?? [])
        {
            var text = entry?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                continue;
            }

            if (HostPolicy.TryParseEntry(text, out var network))
            {
                _networks.Add(network);
            }
            else
            {
                _names.Add(HostAddresses.CanonicalName(text));
            }
        }
    }

    /// <summary>Whether deliveries may go to <paramref name="address"/> (normalized first), reached through <paramref name="host"/>.</summary>
    public bool Allows(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        if (HostAddresses.Classify(host) == HostKind.Forbidden)
        {
            return false;
        }

        var normalized = HostAddresses.Normalize(address);
        var kind = HostAddresses.Classify(normalized);
        if (kind == HostKind.Forbidden)
        {
            return false;
        }

        return (kind == HostKind.Remote && !NonPublicNetworks.Any(n => n.Contains(normalized))) || IsAllowListed(host, normalized);
    }

    /// <summary>The host as written, before any lookup: false when it is a refused address or name.</summary>
    public bool AllowsHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (HostAddresses.TryParseLiteral(host, out var address))
        {
            return Allows(host, address);
        }

        return HostAddresses.Classify(host) switch
        {
            HostKind.Forbidden => false,
            HostKind.Local => _names.Contains(HostAddresses.CanonicalName(host)),
            _ => true,
        };
    }

    private bool IsAllowListed(string host, IPAddress address) =>
        _names.Contains(HostAddresses.CanonicalName(host)) || _networks.Any(network => network.Contains(address));
}
