using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Secrets;

/// <summary>
/// The key a Development host encrypts secrets with when none is configured: 32 random bytes, made
/// once per process, so stored passwords cannot be read after a restart. The value is never logged.
/// </summary>
internal sealed partial class DevelopmentSecretKey(ILogger<DevelopmentSecretKey> logger)
{
    public const string KeyId = "development";

    private readonly Lazy<string> _key = new(() =>
    {
        LogGenerated(logger);
        return Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretProtectionOptions.KeyBytes));
    });

    public string Value => _key.Value;

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Secrets:ActiveKeyId is not set: encrypting data source passwords with a random key made at start-up. They cannot be read after a restart; set Secrets:ActiveKeyId and Secrets:Keys outside Development.")]
    private static partial void LogGenerated(ILogger logger);
}
