namespace Loupe.Application.Common.Exceptions;

/// <summary>
/// A change was conditional on a version (HTTP <c>If-Match</c>) that is no longer current. When the
/// resource says where it is now, the problem carries it (<see cref="CurrentRowVersion"/> as the
/// current <c>ETag</c>, <see cref="CurrentVersion"/> as its version number), so a client can tell
/// its user that someone else changed it, and to what.
/// </summary>
public sealed class PreconditionFailedException : Exception
{
    public PreconditionFailedException()
        : base("The resource has changed since you read it (If-Match no longer matches its ETag): read it again, then retry.")
    {
    }

    public PreconditionFailedException(uint currentRowVersion, int? currentVersion)
        : base("Someone else changed this resource since you read it (If-Match no longer matches its ETag): read it again, then retry.")
    {
        CurrentRowVersion = currentRowVersion;
        CurrentVersion = currentVersion;
    }

    public PreconditionFailedException(string message)
        : base(message)
    {
    }

    public PreconditionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The row version the resource is at now (its current <c>ETag</c>), when the resource gives it.</summary>
    public uint? CurrentRowVersion { get; }

    /// <summary>The number of the resource's current version, for a resource that keeps versions.</summary>
    public int? CurrentVersion { get; }
}
