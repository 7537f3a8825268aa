using Loupe.Application.Common.Connectors;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Connectors.ConnectionStrings;

internal sealed class ConnectionStringParser : IConnectionStringParser
{
    private static readonly DomainError OnlyPostgresql =
        DomainError.Validation("data_source.connection_string_unsupported", "connection_string", "Only PostgreSQL data sources take a connection string; give settings instead.");

    public ParsedConnectionString Parse(DataSourceType type, string? connectionString)
    {
        if (type != DataSourceType.Postgresql)
        {
            return new ParsedConnectionString(null, null, [OnlyPostgresql]);
        }

        var parsed = PostgresConnectionString.Parse(connectionString);
        return new ParsedConnectionString(parsed.Settings, parsed.Password, parsed.Errors);
    }
}
