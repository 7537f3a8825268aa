using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>Loupe's own services, as the hosts register them, in one scope that entered the bench organization.</summary>
internal sealed class LoupeServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private LoupeServices(BenchDatabase database)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Loupe"] = database.AppConnection,
                ["DataSources:AllowedHosts:0"] = "127.0.0.1", // the bench's PostgreSQL, on this machine (ADR 0027)
            })
            .Build();
        _provider = new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
        _scope = _provider.CreateAsyncScope();
        _scope.ServiceProvider.GetRequiredService<ITenantScope>().Enter(database.OrganizationId);
        Store = _scope.ServiceProvider.GetRequiredService<IResultStore>();
        Connector = _scope.ServiceProvider.GetRequiredService<IDataSourceConnectors>().ConnectorFor(DataSourceType.Postgresql);
        var owner = new NpgsqlConnectionStringBuilder(database.OwnerConnection);
        Target = new ConnectionTarget(
            database.DataSourceId,
            ConnectionSettings.Postgresql(owner.Host, owner.Port, owner.Database, owner.Username, PostgresSslMode.Disable),
            owner.Password);
    }

    public IResultStore Store { get; }

    public IDataSourceConnector Connector { get; }

    /// <summary>The bench database as a data source (connecting as the owner of <c>bench_source</c>).</summary>
    public ConnectionTarget Target { get; }

    public static LoupeServices For(BenchDatabase database) => new(database);

    /// <summary>The first <paramref name="rows"/> rows of <c>bench_source</c>, in order, through the connector's guard.</summary>
    public static QueryRequest SourceRows(int rows) => new(
        $"SELECT {BenchDatabase.SourceColumns} FROM bench_source WHERE id <= {rows} ORDER BY id",
        [],
        TimeSpan.FromMinutes(10),
        rows,
        long.MaxValue);

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
