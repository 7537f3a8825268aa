namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// A change of a resource that is only ever changed conditionally came without <c>If-Match</c>
/// (or with <c>*</c>, which would match any version): HTTP 428, so that no edit can silently
/// overwrite another.
/// </summary>
public sealed class PreconditionRequiredException : Exception
{
    public PreconditionRequiredException()
        : base("This resource is only changed with If-Match: send the ETag you read it at, so that nobody's change is overwritten unseen.")
    {
    }

    public PreconditionRequiredException(string message)
        : base(message)
    {
    }

    public PreconditionRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
