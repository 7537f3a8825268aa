using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Domain.Runs;

namespace Loupe.Application.DataSources;

/// <summary>Where a connector reaches a stored data source: its settings and its password, decrypted just now.</summary>
public static class DataSourceTargets
{
    /// <exception cref="SecretProtectionException">The stored password cannot be opened with the configured keys.</exception>
    public static ConnectionTarget TargetOf(this DataSource dataSource, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(protector);
        var password = dataSource.Password is { } secret ? protector.Unprotect(secret) : null;
        return new ConnectionTarget(dataSource.Id, dataSource.Settings, password, dataSource.AllowPrivilegedAccount);
    }

    /// <summary>The answer when the stored password cannot be opened (its key was removed from configuration).</summary>
    public static QueryExecutionException UnreadablePassword() =>
        new(UnreadablePasswordCode, "The stored password cannot be decrypted with the configured keys; enter the password again.");

    /// <summary>Loupe's code for a password that cannot be decrypted.</summary>
    public const string UnreadablePasswordCode = LoupeErrorCodes.UnreadablePassword;
}
