using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.DataSources.Commands.TestDataSource;

/// <summary>Connects to the data source and reports the server version and latency, or why it failed (never with a secret).</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record TestDataSourceCommand(Guid Id) : IRequest<DataSourceTestDto>;

/// <summary>A connection test: <c>ok</c> with version and latency, or <c>ok: false</c> with the error.</summary>
public sealed record DataSourceTestDto(bool Ok, string? ServerVersion, double? LatencyMs, DataSourceErrorDto? Error, IReadOnlyList<string> Warnings);

/// <summary>A data source's error: the SQLSTATE (or a Loupe code) and a message without secrets.</summary>
public sealed record DataSourceErrorDto(string Code, string Message);

internal sealed class TestDataSourceCommandHandler(
    IRepository<DataSource> dataSources,
    IDataSourceConnectors connectors,
    ISecretProtector protector) : IRequestHandler<TestDataSourceCommand, DataSourceTestDto>
{
    public async Task<DataSourceTestDto> Handle(TestDataSourceCommand request, CancellationToken cancellationToken)
    {
        var dataSource = await dataSources.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        try
        {
            ConnectionTarget target;
            try
            {
                target = dataSource.TargetOf(protector);
            }
            catch (SecretProtectionException)
            {
                throw DataSourceTargets.UnreadablePassword();
            }

            var check = await connectors.ConnectorFor(dataSource.Type).TestAsync(target, cancellationToken).ConfigureAwait(false);
            return new DataSourceTestDto(true, check.ServerVersion, Math.Round(check.Latency.TotalMilliseconds, 1), null, check.Warnings);
        }
        catch (QueryExecutionException failure)
        {
            return new DataSourceTestDto(false, null, null, new DataSourceErrorDto(failure.Code, failure.Message), []);
        }
    }
}
