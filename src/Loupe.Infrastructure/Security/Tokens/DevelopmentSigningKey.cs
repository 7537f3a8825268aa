using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>
/// The key a Development host signs with when none is configured: 64 random bytes, made once per
/// process, so tokens stop working at the next start. One instance is shared by every options cache.
/// </summary>
internal sealed partial class DevelopmentSigningKey(ILogger<DevelopmentSigningKey> logger)
{
    private readonly Lazy<string> _key = new(() =>
    {
        LogGenerated(logger);
        return Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    });

    public string Value => _key.Value;

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Auth:SigningKey is not set: signing access tokens with a random key made at start-up. Tokens will not survive a restart; set Auth:SigningKey outside Development.")]
    private static partial void LogGenerated(ILogger logger);
}
