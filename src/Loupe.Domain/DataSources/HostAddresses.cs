using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Loupe.Domain.DataSources;

/// <summary>What kind of place an address or host name is, for <see cref="HostPolicy"/>.</summary>
public enum HostKind
{
    /// <summary>Anywhere else: public or private networks, where databases live.</summary>
    Remote,

    /// <summary>This machine: loopback (127.0.0.0/8, ::1, localhost) and the unspecified addresses (0.0.0.0/8, ::).</summary>
    Local,

    /// <summary>Never a database: link-local (169.254.0.0/16, fe80::/10), cloud metadata services, multicast and broadcast.</summary>
    Forbidden,
}

/// <summary>
/// Host literals and addresses as the network stack reads them. Every numeric spelling a resolver
/// accepts for an IPv4 address (<c>127.1</c>, <c>2130706433</c>, <c>0x7f000001</c>, <c>0177.0.0.1</c>,
/// a trailing dot) and every IPv6 form that carries one (IPv4-mapped, IPv4-compatible, NAT64) is
/// brought to one <see cref="IPAddress"/> before it is classified, so no spelling slips past a rule.
/// </summary>
public static class HostAddresses
{
    /// <summary>Names of cloud metadata services (and their usual short forms), never a database.</summary>
    public static IReadOnlyList<string> ForbiddenNames { get; } =
    [
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.com", "metadata.azure.internal",
        "instance-data", "instance-data.ec2.internal", "metadata.ec2.internal", "metadata.tencentyun.com",
        "metadata.packet.net", "metadata.platformequinix.com", "metadata.oraclecloud.com",
    ];

    /// <summary>Addresses of cloud metadata and platform services outside the link-local ranges.</summary>
    private static readonly IPAddress[] ForbiddenAddresses =
    [
        IPAddress.Parse("fd00:ec2::254"), // AWS instance metadata over IPv6
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud metadata
        IPAddress.Parse("168.63.129.16"), // Azure platform (wire server)
        IPAddress.Parse("192.0.0.192"), // Oracle Cloud metadata (older)
        IPAddress.Broadcast,
    ];

    private static readonly IPNetwork[] ForbiddenNetworks =
    [
        IPNetwork.Parse("169.254.0.0/16"), // IPv4 link-local, where most metadata services answer
        IPNetwork.Parse("fe80::/10"), // IPv6 link-local
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] LocalNetworks =
    [
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("0.0.0.0/8"), // "this network": 0.0.0.0 reaches this machine's listeners
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("::/128"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>
    /// The host as an address when it is one in any spelling (IPv4 in the forms <c>inet_aton</c> reads,
    /// IPv6 with or without brackets), normalized; false for a name.
    /// </summary>
    public static bool TryParseLiteral(string? host, out IPAddress address)
    {
        address = IPAddress.None;
        var text = host?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            var inner = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
            if (IPAddress.TryParse(inner, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = Normalize(v6);
                return true;
            }

            return false;
        }

        if (text.EndsWith('.'))
        {
            text = text[..^1];
        }

        if (TryParseIPv4(text, out var v4))
        {
            address = v4;
            return true;
        }

        return false;
    }

    /// <summary>An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64) as that IPv4 address; others unchanged.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && bytes.AsSpan(12).IndexOfAnyExcept((byte)0) >= 0
            && !IPAddress.IPv6Loopback.Equals(address);
        if (compatible || Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12));
        }

        return address.ScopeId == 0 ? address : new IPAddress(bytes);
    }

    /// <summary>What the (normalized) address is.</summary>
    public static HostKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        if (ForbiddenAddresses.Contains(normalized) || ForbiddenNetworks.Any(network => network.Contains(normalized)))
        {
            return HostKind.Forbidden;
        }

        return LocalNetworks.Any(network => network.Contains(normalized)) ? HostKind.Local : HostKind.Remote;
    }

    /// <summary>What a host literal is before any lookup: an address in any spelling, a metadata name, a localhost name, or another name.</summary>
    public static HostKind Classify(string host)
    {
        if (TryParseLiteral(host, out var address))
        {
            return Classify(address);
        }

        var name = CanonicalName(host);
        if (ForbiddenNames.Contains(name, StringComparer.Ordinal))
        {
            return HostKind.Forbidden;
        }

        return name is "localhost" or "localhost.localdomain" or "ip6-localhost" or "ip6-loopback" || name.EndsWith(".localhost", StringComparison.Ordinal)
            ? HostKind.Local
            : HostKind.Remote;
    }

    /// <summary>A host name as compared: trimmed, lower case, without the root's trailing dot.</summary>
    public static string CanonicalName(string? host)
    {
        var name = (host ?? string.Empty).Trim().ToLowerInvariant();
        return name.EndsWith('.') ? name[..^1] : name;
    }

    /// <summary>
    /// IPv4 as <c>inet_aton</c> reads it: one to four parts, each decimal, octal (leading 0) or hex
    /// (0x); the last part fills the remaining bytes (<c>127.1</c> is 127.0.0.1, <c>2130706433</c> too).
    /// </summary>
    private static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return false;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return false;
            }
        }

        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 0xFF)
            {
                return false;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var lastBits = 8 * (4 - (parts.Length - 1));
        if (last >= 1UL << lastBits)
        {
            return false;
        }

        result |= last;
        address = new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
        return true;
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.Length > 2 && part[0] == '0' && (part[1] is 'x' or 'X'))
        {
            var hex = part[2..];
            return hex.Length <= 16 && hex.All(char.IsAsciiHexDigit)
                && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (part.Length > 1 && part[0] == '0')
        {
            if (!part.All(c => c is >= '0' and <= '7') || part.Length > 21)
            {
                return false;
            }

            foreach (var digit in part)
            {
                value = (value * 8) + (ulong)(digit - '0');
            }

            return true;
        }

        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
