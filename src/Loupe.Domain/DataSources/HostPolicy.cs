using System.Net;
using Loupe.Domain.Common;

namespace Loupe.Domain.DataSources;

/// <summary>
/// Where a data source may point (ADR 0027). Cloud metadata services, link-local, multicast and
/// broadcast addresses are always refused (<c>datasource.host_forbidden</c>). This machine — loopback
/// and the unspecified addresses — is refused (<c>datasource.host_local</c>) unless local hosts are
/// allowed (the Development environment) or the host name or address is on the allow-list
/// (<c>DataSources:AllowedHosts</c>: names, addresses in any spelling, or networks such as
/// <c>127.0.0.0/8</c>). The allow-list never lifts the first rule. The rule applies to the host as
/// written, to every address its name resolves to, and again to the address a connection is made to.
/// </summary>
public sealed class HostPolicy
{
    public const string ForbiddenCode = "datasource.host_forbidden";
    public const string LocalCode = "datasource.host_local";

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<IPNetwork> _networks = [];

    public HostPolicy(bool allowLocal, IEnumerable<string>? allowedHosts = null)
    {
        AllowLocal = allowLocal;
        foreach (var entry in allowedHosts ?? [])
        {
            var text = entry?.Trim() ?? string.Empty;
            if (text.Length == 0)
            {
                continue;
            }

            if (TryParseEntry(text, out var network))
            {
                _networks.Add(network);
            }
            else
            {
                _names.Add(HostAddresses.CanonicalName(text));
            }
        }
    }

    /// <summary>Loopback and unspecified addresses are allowed everywhere (the Development environment).</summary>
    public bool AllowLocal { get; }

    public static DomainError Forbidden { get; } = DomainError.Unprocessable(
        ForbiddenCode,
        "settings.host points at a link-local address, a cloud metadata service, or a multicast or broadcast address; Loupe never connects there.");

    public static DomainError Local { get; } = DomainError.Unprocessable(
        LocalCode,
        "settings.host points at this machine (loopback or an unspecified address such as 0.0.0.0); an operator may allow such a host with DataSources:AllowedHosts.");

    /// <summary>True when an allow-list entry is a valid address or network (otherwise it is a name).</summary>
    public static bool TryParseEntry(string entry, out IPNetwork network)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && HostAddresses.TryParseLiteral(entry[..slash], out var prefix)
            && IPNetwork.TryParse($"{prefix}/{entry[(slash + 1)..]}", out network))
        {
            return true;
        }

        if (slash < 0 && HostAddresses.TryParseLiteral(entry, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        network = default;
        return false;
    }

    /// <summary>The host as written, before any lookup: its refusal, or null.</summary>
    public DomainError? CheckHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return HostAddresses.Classify(host) switch
        {
            HostKind.Forbidden => Forbidden,
            HostKind.Local when !IsAllowed(host, HostAddresses.TryParseLiteral(host, out var literal) ? literal : null) => Local,
            _ => null,
        };
    }

    /// <summary>One address <paramref name="host"/> resolved to, or a connection was made to: its refusal, or null.</summary>
    public DomainError? CheckAddress(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        if (HostAddresses.Classify(host) == HostKind.Forbidden)
        {
            return Forbidden;
        }

        var normalized = HostAddresses.Normalize(address);
        return HostAddresses.Classify(normalized) switch
        {
            HostKind.Forbidden => Forbidden,
            HostKind.Local when !IsAllowed(host, normalized) => Local,
            _ => null,
        };
    }

    private bool IsAllowed(string host, IPAddress? address) =>
        AllowLocal
        || _names.Contains(HostAddresses.CanonicalName(host))
        || (address is not null && _networks.Any(network => network.Contains(HostAddresses.Normalize(address))));
}
