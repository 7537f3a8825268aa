using System.Net;
using Loupe.Application.Common.Connectors;

namespace Loupe.Infrastructure.Connectors;

/// <summary>The system's resolver (DNS, hosts file).</summary>
internal sealed class DnsHostResolver : IHostResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct) =>
        await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
}
