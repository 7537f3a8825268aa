namespace Loupe.Application.Common.Results;

/// <summary>
/// The first rows of several stored results at once, in one round trip to Loupe's database whatever
/// their number: what a page of many tiles (a dashboard) shows. Reads in the current organization
/// (row-level security), like <see cref="IResultStore"/>.
/// </summary>
public interface IResultPreviews
{
    /// <summary>
    /// Rows 0 to <paramref name="rows"/> of each result that is stored and completed, by run; a result
    /// that is not (removed meanwhile) is left out. Long cells are truncated as a result page truncates them.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, ResultPage>> ReadFirstRowsAsync(IReadOnlyCollection<StoredAttempt> results, int rows, CancellationToken ct);
}

/// <summary>A run and the attempt whose stored rows are its result.</summary>
public readonly record struct StoredAttempt(Guid RunId, int Attempt);
