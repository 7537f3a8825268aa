namespace Loupe.Domain.Common;

/// <summary>Thrown when an operation would break a domain rule. Nothing has changed when it is thrown.</summary>
public sealed class DomainException : Exception
{
    public DomainException(DomainError error)
        : base(error.Message)
    {
        Error = error;
    }

    /// <summary>The rule was found broken while handling <paramref name="innerException"/> (a unique index refused a duplicate name).</summary>
    public DomainException(DomainError error, Exception innerException)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public DomainException()
        : this(new DomainError("domain.unknown", "A domain rule was broken.", DomainErrorKind.Validation))
    {
    }

    public DomainException(string message)
        : this(new DomainError("domain.unknown", message, DomainErrorKind.Validation))
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new DomainError("domain.unknown", message, DomainErrorKind.Validation);
    }

    public DomainError Error { get; }
}
