namespace Loupe.Application.Common.Exceptions;

/// <summary>The caller is known but their role does not allow the request.</summary>
public sealed class ForbiddenException : Exception
{
    public ForbiddenException()
        : base("Your role does not allow this action.")
    {
    }

    public ForbiddenException(string message)
        : base(message)
    {
    }

    public ForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
