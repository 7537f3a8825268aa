using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;

namespace Loupe.Application.Canvases;

/// <summary>How a change of a canvas read with an <c>If-Match</c> is saved.</summary>
internal static class CanvasSaves
{
    /// <summary>
    /// Saves. When another change was saved between the read and this save, the version the client
    /// named is no longer current: with <c>If-Match</c> that is a 412, as if the change had come
    /// a moment later; without it, the concurrent change's 409.
    /// </summary>
    public static async Task SaveAsync(IUnitOfWork unitOfWork, VersionPrecondition? ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (ifMatch is not null && conflict.Code == ErrorCodes.ConcurrentChange)
        {
            throw new PreconditionFailedException(new PreconditionFailedException().Message, conflict);
        }
    }
}
