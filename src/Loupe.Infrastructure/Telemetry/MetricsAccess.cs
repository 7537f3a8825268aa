using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Telemetry;

/// <summary>
/// Who may scrape <c>/metrics</c> (ADR 0040), the same rule in both hosts: with a configured
/// <c>Metrics:BearerToken</c>, only a request carrying it; without one, anyone in Development and nobody
/// elsewhere. Metrics name routes, pools and queues; they are an operator's, not the internet's.
/// </summary>
public sealed class MetricsAccess
{
    private const string Scheme = "Bearer ";

    private readonly byte[]? _tokenHash;
    private readonly bool _openWithoutToken;

    public MetricsAccess(IOptions<MetricsOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _tokenHash = options.Value.BearerToken is { Length: > 0 } token ? Hash(token) : null;
        _openWithoutToken = _tokenHash is null && environment.IsDevelopment();
    }

    /// <summary>Whether a scrape with this <c>Authorization</c> header value is answered.</summary>
    public bool Allows(string? authorization)
    {
        if (_tokenHash is null)
        {
            return _openWithoutToken;
        }

        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Compared as hashes of equal length, in constant time: the answer's timing says nothing of the token.
        return CryptographicOperations.FixedTimeEquals(Hash(authorization.AsSpan(Scheme.Length).Trim().ToString()), _tokenHash);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
