using Loupe.Application.Common.Exceptions;

namespace Loupe.Application.Common.Persistence;

/// <summary>
/// The one way to save when another request or job may save the same row at the same moment: apply
/// the change, save, and when the save meets a concurrent change (<see cref="ErrorCodes.ConcurrentChange"/>)
/// read again and apply the change once more, a few times at most. Only a concurrent change is tried
/// again: a taken unique value or a gone reference would only fail the same way.
/// </summary>
public static class ConcurrencyRetry
{
    /// <summary>How many times a change is tried when nothing else is said.</summary>
    public const int DefaultMaxTries = 5;

    /// <summary>
    /// Applies <paramref name="change"/> and saves. After a concurrent change, <paramref name="reread"/>
    /// reads what is stored now (reloads the aggregate, or forgets the unsaved changes and finds it again)
    /// and says whether the change still applies; false ends the tries (answered false).
    /// The conflict of the last try is thrown.
    /// </summary>
    /// <returns>True when saved; false when <paramref name="reread"/> said the change no longer applies.</returns>
    public static async Task<bool> SaveWithRetryAsync(
        this IUnitOfWork unitOfWork, Action change, Func<Task<bool>> reread, CancellationToken cancellationToken, int maxTries = DefaultMaxTries)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(reread);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        for (var tries = 1; ; tries++)
        {
            change();
            try
            {
                await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ConflictException conflict) when (IsConcurrentChange(conflict) && tries < maxTries)
            {
                if (!await reread().ConfigureAwait(false))
                {
                    return false;
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> (which reads, changes and saves) and, when its save meets a
    /// concurrent change, forgets every unsaved change and runs it again on what is stored now.
    /// The conflict of the last try is thrown.
    /// </summary>
    /// <param name="orDuplicate">
    /// Also after a taken unique value (<see cref="ErrorCodes.Duplicate"/>), for work whose unique value
    /// is the very one a concurrent twin of the same request writes (a refresh token's successor): the
    /// twin got there first, and the next try reads what it stored.
    /// </param>
    public static async Task<T> RetryOnConcurrentChangeAsync<T>(this IUnitOfWork unitOfWork, Func<Task<T>> work, int maxTries = DefaultMaxTries, bool orDuplicate = false)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTries, 1);
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (ConflictException conflict) when ((IsConcurrentChange(conflict) || (orDuplicate && conflict.Code == ErrorCodes.Duplicate)) && tries < maxTries)
            {
                unitOfWork.DiscardChanges();
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/> is a save that met someone else's change of the same row.</summary>
    public static bool IsConcurrentChange(Exception exception) =>
        exception is ConflictException { Code: ErrorCodes.ConcurrentChange };
}
