namespace Loupe.Application.Common.Persistence;

/// <summary>
/// Tells a failure of Loupe's own database that trying again may cure (the server restarting, the
/// network dropping, too many connections, a serialization failure) from one that will not (a bug,
/// a constraint). Background work retries the first kind and records the second.
/// </summary>
public interface IDatabaseFailures
{
    /// <summary>True when <paramref name="failure"/>, or an exception it wraps, is a passing failure of Loupe's database.</summary>
    bool IsTransient(Exception failure);
}
