using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>Reads a pasted connection string into validated settings and a password, or field errors.</summary>
public interface IConnectionStringParser
{
    ParsedConnectionString Parse(DataSourceType type, string? connectionString);
}

/// <summary>Settings and password when valid; otherwise the broken rules, each naming its field.</summary>
public sealed record ParsedConnectionString(ConnectionSettings? Settings, string? Password, IReadOnlyList<DomainError> Errors);
