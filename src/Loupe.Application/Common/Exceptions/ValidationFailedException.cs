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

    /// <summary>The problem's <c>code</c>: <see cref="ErrorCodes.ValidationFailed"/> unless a more specific one applies.</summary>
    public string Code { get; init; } = ErrorCodes.ValidationFailed;
}
