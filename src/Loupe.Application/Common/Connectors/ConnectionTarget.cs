using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Where a connector connects: the data source (whose id keys its pool), its settings and its
/// decrypted password, and whether an admin allowed a privileged account (otherwise the connector
/// refuses one, see <see cref="PrivilegedAccounts"/>). Built just before use and never logged.
/// </summary>
public sealed record ConnectionTarget(Guid DataSourceId, ConnectionSettings Settings, string? Password, bool AllowPrivilegedAccount = false)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"ConnectionTarget {{ DataSourceId = {DataSourceId}, Type = {Settings.Type} }}";
}
