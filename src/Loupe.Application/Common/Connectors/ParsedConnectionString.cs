using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Application.Common.Connectors;

/// <summary>Settings and password when valid; otherwise the broken rules, each naming its field.</summary>
public sealed record ParsedConnectionString(ConnectionSettings? Settings, string? Password, IReadOnlyList<DomainError> Errors)
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"ParsedConnectionString {{ Valid = {Settings is not null}, Errors = {Errors.Count} }}";
}
