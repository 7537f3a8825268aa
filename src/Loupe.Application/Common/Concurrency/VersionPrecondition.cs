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
}
