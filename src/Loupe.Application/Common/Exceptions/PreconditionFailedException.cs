namespace Loupe.Application.Common.Exceptions;

/// <summary>A change was conditional on a version (HTTP <c>If-Match</c>) that is no longer current.</summary>
public sealed class PreconditionFailedException : Exception
{
    public PreconditionFailedException()
        : base("The resource has changed since you read it (If-Match no longer matches its ETag): read it again, then retry.")
    {
    }

    public PreconditionFailedException(string message)
        : base(message)
    {
    }

    public PreconditionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
