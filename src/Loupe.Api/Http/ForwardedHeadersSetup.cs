using System.Net;
using Loupe.Infrastructure.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Loupe.Api.Http;

/// <summary>Which reverse proxies may tell Loupe the client's address. Bound from <c>Http</c>.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Http";

    /// <summary>IP addresses of trusted proxies (<c>Http:KnownProxies</c>); empty: X-Forwarded-* is ignored.</summary>
    public List<string> KnownProxies { get; set; } = [];

    internal IEnumerable<string> Problems() =>
        KnownProxies
            .Select((value, index) => (value, index))
            .Where(p => !IPAddress.TryParse(p.value, out _))
            .Select(p => $"Http:KnownProxies:{p.index} must be an IP address.");
}

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are honored only from the configured proxies, so a client
/// cannot pick its own address (and with it its rate limit partition).
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static IServiceCollection AddLoupeForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Configure(options => configuration.GetSection(ProxyOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
            {
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                ClearObsoleteNetworks(forwarded);
                foreach (var proxy in proxies.Value.KnownProxies)
                {
                    if (IPAddress.TryParse(proxy, out var address))
                    {
                        forwarded.KnownProxies.Add(address);
                    }
                }

                // With both lists empty the middleware would trust every peer; with no proxy it must trust none.
                forwarded.ForwardedHeaders = forwarded.KnownProxies.Count == 0
                    ? ForwardedHeaders.None
                    : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            });
        return services;
    }

    /// <summary>
    /// The obsolete list still holds 127.0.0.0/8 by default and the middleware still trusts it:
    /// left alone, any local process could choose its own client address.
    /// </summary>
    private static void ClearObsoleteNetworks(ForwardedHeadersOptions forwarded)
    {
#pragma warning disable ASPDEPR005
        forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
    }

}
