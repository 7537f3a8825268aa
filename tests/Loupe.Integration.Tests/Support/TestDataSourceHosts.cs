using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Connectors;
using Loupe.Infrastructure.Connectors.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// The ONE allow-list of the tests: the test server listens on 127.0.0.1, and test hosts run outside
/// Development, where a data source on this machine is refused unless listed in
/// <c>DataSources:AllowedHosts</c> (ADR 0027). Every test host — the API factory, the job nodes, the
/// worker process, connectors built by hand — takes it from here.
/// </summary>
internal static class TestDataSourceHosts
{
    public static IReadOnlyList<string> Allowed { get; } = ["127.0.0.1"];

    /// <summary>The list as configuration keys (<c>DataSources:AllowedHosts:0</c> …).</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } =
        Allowed.Select((host, i) => (Key: $"DataSources:AllowedHosts:{i}", Value: (string?)host)).ToDictionary(pair => pair.Key, pair => pair.Value);

    /// <summary>The policy of a test host.</summary>
    public static HostPolicy Policy { get; } = new(allowLocal: false, Allowed);

    /// <summary>A PostgreSQL connector as a test host builds it.</summary>
    public static PostgresConnector Connector(IHostResolver? resolver = null) =>
        new(NullLogger<PostgresConnector>.Instance, Options.Create(new DataSourceOptions()), Policy, resolver ?? new DnsHostResolver());

    /// <summary>Whether settings already name the allow-list (a test of the list itself sets its own).</summary>
    public static bool NamedIn(IEnumerable<string> keys) => keys.Any(key => key.StartsWith("DataSources:AllowedHosts", StringComparison.OrdinalIgnoreCase));
}
