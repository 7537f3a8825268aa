namespace Loupe.Application.Common.Exceptions;

/// <summary>The request contradicts the current state: a duplicate name, a stale version, an illegal change.</summary>
public sealed class ConflictException : Exception
{
    public ConflictException()
        : base("The request conflicts with the current state of the resource.")
    {
    }

    public ConflictException(string message)
        : base(message)
    {
    }

    public ConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The problem's machine-readable <c>code</c>, where clients need to tell conflicts of one resource apart.</summary>
    public string? Code { get; init; }
}
