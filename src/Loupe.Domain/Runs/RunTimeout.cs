using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Queries;

namespace Loupe.Domain.Runs;

/// <summary>
/// How long a run may take, one rule for every way a timeout is given: from <see cref="MinSeconds"/>
/// up to its data source's query timeout. A saved query may keep a timeout of its own within that
/// bound, a run may ask for one within it, and without either a run gets the data source's. A saved
/// query's timeout that the data source no longer allows (its timeout was lowered since) is capped
/// for the run, not refused: the query was valid when it was saved.
/// </summary>
public static class RunTimeout
{
    public const int MinSeconds = 1;

    /// <summary>Whether a run on <paramref name="dataSource"/> may be given <paramref name="seconds"/>.</summary>
    public static bool IsAllowed(int seconds, DataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return seconds >= MinSeconds && seconds <= dataSource.QueryTimeoutSeconds;
    }

    /// <summary>
    /// The timeout of one run: <paramref name="asked"/> when given (refused with
    /// <see cref="RunErrors.TimeoutOutOfRange"/> outside the bound), else the saved query's
    /// <paramref name="saved"/> capped to the data source's, else the data source's own.
    /// </summary>
    public static int For(DataSource dataSource, int? asked = null, int? saved = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (asked is { } seconds)
        {
            return IsAllowed(seconds, dataSource) ? seconds : throw new DomainException(RunErrors.TimeoutOutOfRange(dataSource.QueryTimeoutSeconds));
        }

        var bound = dataSource.QueryTimeoutSeconds;
        return saved is { } kept ? Math.Clamp(kept, MinSeconds, bound) : bound;
    }

    /// <summary>
    /// Why a saved query may not keep <paramref name="seconds"/> on <paramref name="dataSource"/>
    /// (<see cref="SavedQueryErrors.TimeoutOutOfRange"/>); null when it may, or when it keeps none.
    /// </summary>
    public static DomainError? CheckSaved(int? seconds, DataSource dataSource) =>
        seconds is not { } value || IsAllowed(value, dataSource) ? null : SavedQueryErrors.TimeoutOutOfRange(dataSource.QueryTimeoutSeconds);
}
