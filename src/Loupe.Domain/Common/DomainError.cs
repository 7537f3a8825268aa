namespace Loupe.Domain.Common;

/// <summary>What kind of rule an error breaks; the API maps each kind to one HTTP status.</summary>
public enum DomainErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>Well-formed, but what it points at is refused by a rule (422, with the error's code).</summary>
    Unprocessable,

    /// <summary>A quota that frees itself over time is used up: the same request may succeed later (429 with Retry-After).</summary>
    LimitReached,

    /// <summary>What was asked for existed once and is gone for good (410): asking again will not help.</summary>
    Gone,
}

/// <summary>
/// A named, reusable error. Aggregates declare theirs as static values
/// (<c>OrganizationErrors.NameRequired</c>) so tests and callers compare by code, not by text.
/// </summary>
public sealed record DomainError(string Code, string Message, DomainErrorKind Kind, string? Field = null)
{
    public static DomainError Validation(string code, string field, string message) =>
        new(code, message, DomainErrorKind.Validation, field);

    public static DomainError Conflict(string code, string message) =>
        new(code, message, DomainErrorKind.Conflict);

    public static DomainError NotFound(string code, string message) =>
        new(code, message, DomainErrorKind.NotFound);

    public static DomainError Unprocessable(string code, string message) =>
        new(code, message, DomainErrorKind.Unprocessable);

    public static DomainError LimitReached(string code, string message) =>
        new(code, message, DomainErrorKind.LimitReached);

    public static DomainError Gone(string code, string message) =>
        new(code, message, DomainErrorKind.Gone);
}
