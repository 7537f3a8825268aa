namespace Loupe.Application.Common.Exceptions;

/// <summary>The request needs a signed-in caller and has none.</summary>
public sealed class UnauthenticatedException : Exception
{
    public UnauthenticatedException()
        : base("Authentication is required.")
    {
    }

    public UnauthenticatedException(string message)
        : base(message)
    {
    }

    public UnauthenticatedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
