using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Where a connector connects: the data source (whose id keys its pool), its settings and its
/// decrypted password. Built just before use and never logged.
/// </summary>
public sealed record ConnectionTarget(Guid DataSourceId, ConnectionSettings Settings, string? Password)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"ConnectionTarget {{ DataSourceId = {DataSourceId}, Type = {Settings.Type} }}";
}
