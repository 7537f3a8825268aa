using Loupe.Application.Common.Exceptions;

namespace Loupe.Application.Common.Concurrency;

/// <summary>
/// What a client's <c>If-Match</c> asks of a change: the resource must still be at one of these row
/// versions (those of the <c>ETag</c>s it read). No versions at all (tags that could never match)
/// always fails. A request without <c>If-Match</c> carries no precondition (null).
/// </summary>
public sealed record VersionPrecondition(IReadOnlyList<uint> RowVersions)
{
    /// <exception cref="PreconditionFailedException">The resource has changed since the client read it.</exception>
    public void Check(uint rowVersion)
    {
        if (!RowVersions.Contains(rowVersion))
        {
            throw new PreconditionFailedException();
        }
    }

    /// <summary>
    /// The check of a resource whose every change requires <c>If-Match</c>: none (or <c>*</c>, which
    /// arrives as none) is a 428; a stale one is a 412 that says where the resource is now.
    /// </summary>
    /// <param name="currentVersion">The number of the resource's current version, for a resource that keeps versions.</param>
    /// <exception cref="PreconditionRequiredException">No precondition was sent.</exception>
    /// <exception cref="PreconditionFailedException">The resource has changed since the client read it.</exception>
    public static void Require(VersionPrecondition? ifMatch, uint rowVersion, int? currentVersion = null)
    {
        if (ifMatch is null)
        {
            throw new PreconditionRequiredException();
        }

        if (!ifMatch.RowVersions.Contains(rowVersion))
        {
            throw new PreconditionFailedException(rowVersion, currentVersion);
        }
    }
}
