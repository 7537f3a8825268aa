using System.Net;

namespace Loupe.Application.Common.Connectors;

/// <summary>Looks a host name up (DNS). A data source's host is checked against <see cref="Domain.DataSources.HostPolicy"/> on every address it resolves to.</summary>
public interface IHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>, in the resolver's order.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The name does not resolve.</exception>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken ct);
}
