using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Connectors.ConnectionStrings;

/// <summary>Either the settings and password a connection string holds, or every field-level error found.</summary>
public sealed class ConnectionStringParseResult
{
    private ConnectionStringParseResult(ConnectionSettings? settings, string? password, IReadOnlyList<DomainError> errors)
    {
        Settings = settings;
        Password = password;
        Errors = errors;
    }

    public bool IsValid => Settings is not null;

    public ConnectionSettings? Settings { get; }

    /// <summary>The clear-text password, or null when none or an empty one was given: encrypt it at once, never store or log it.</summary>
    public string? Password { get; }

    /// <summary>Each with its field: <c>connection_string</c>, or <c>settings.host</c>, <c>settings.port</c>, …</summary>
    public IReadOnlyList<DomainError> Errors { get; }

    internal static ConnectionStringParseResult Valid(ConnectionSettings settings, string? password) => new(settings, password, []);

    internal static ConnectionStringParseResult Invalid(IReadOnlyList<DomainError> errors) => new(null, null, errors);

    /// <summary>Never the password.</summary>
    public override string ToString() =>
        IsValid ? $"Valid({Settings!.Host}:{Settings.Port}/{Settings.Database}, has_password: {Password is not null})" : $"Invalid({string.Join(", ", Errors.Select(error => error.Code))})";
}
