namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// The request contradicts the current state as Loupe's database saw it on save: a concurrent change,
/// a unique value taken, a reference gone. A conflict with a rule of the domain is a
/// <c>DomainException</c> with its own code instead.
/// </summary>
public sealed class ConflictException : Exception
{
    public ConflictException()
        : this(ErrorCodes.Conflict, "The request conflicts with the current state of the resource.")
    {
    }

    public ConflictException(string message)
        : this(ErrorCodes.Conflict, message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : this(ErrorCodes.Conflict, message, innerException)
    {
    }

    public ConflictException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The problem's machine-readable <c>code</c>, one of <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }
}
