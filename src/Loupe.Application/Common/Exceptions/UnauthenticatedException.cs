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

    /// <summary>
    /// True when the request carried no credential that authenticated (the API then says why, from
    /// the credential it was sent); false when credentials in a body were refused (a sign-in, a refresh).
    /// </summary>
    public bool CallerUnknown { get; init; }
}
