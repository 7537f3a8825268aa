namespace Loupe.Application.Common.Exceptions;

/// <summary>Input broke one or more rules; <see cref="Errors"/> maps each snake_case field to its messages.</summary>
public sealed class ValidationFailedException : Exception
{
    public ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
        : base("One or more fields are invalid.")
    {
        Errors = errors;
    }

    public ValidationFailedException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public ValidationFailedException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public ValidationFailedException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>
    /// Several broken domain rules as one 400: each message under its error's field (<c>body</c> when it
    /// has none). Its <c>code</c> is the errors' own when they all share one (a single rule broken, or
    /// one rule at several paths), so a client branches on it as on a single error; otherwise
    /// <see cref="ErrorCodes.ValidationFailed"/>.
    /// </summary>
    public static ValidationFailedException Of(IReadOnlyCollection<Domain.Common.DomainError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = errors.Select(error => error.Code).Distinct(StringComparer.Ordinal).ToList();
        return new ValidationFailedException(errors
            .GroupBy(error => error.Field ?? "body", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(error => error.Message).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal))
        {
            Code = codes.Count == 1 ? codes[0] : ErrorCodes.ValidationFailed,
        };
    }

    /// <summary>The problem's <c>code</c>: <see cref="ErrorCodes.ValidationFailed"/> unless a more specific one applies.</summary>
    public string Code { get; init; } = ErrorCodes.ValidationFailed;
}
