using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;
using Npgsql;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// The one place that classifies failures of Loupe's own PostgreSQL: any database or network failure
/// (what a background loop survives by trying again later), and the transient ones among them (what a
/// job is retried for rather than failed).
/// </summary>
public sealed class DatabaseFailures : IDatabaseFailures
{
    /// <summary>
    /// SQLSTATEs that pass: connection exceptions (class 08), insufficient resources (class 53: too many
    /// connections, out of memory or disk), operator intervention (57P01 admin shutdown, 57P02 crash
    /// shutdown, 57P03 cannot connect now, 57P05 idle session timeout), serialization failure and
    /// deadlock (40001, 40P01), lock not available (55P03).
    /// </summary>
    private static readonly HashSet<string> TransientStates = new(StringComparer.Ordinal)
    {
        SqlStates.AdminShutdown, SqlStates.CrashShutdown, SqlStates.CannotConnectNow, SqlStates.IdleSessionTimeout,
        SqlStates.SerializationFailure, SqlStates.DeadlockDetected, SqlStates.LockNotAvailable,
    };

    /// <summary>Singleton instance for code that is not built by the container.</summary>
    public static DatabaseFailures Instance { get; } = new();

    bool IDatabaseFailures.IsTransient(Exception failure) => IsTransient(failure);

    /// <summary>
    /// A passing failure of the database or of the way to it, here or in any exception it wraps. Only
    /// Npgsql's exceptions count: an I/O error of anything else (a request body that could not be read
    /// is an <see cref="IOException"/> too) says nothing about the database.
    /// </summary>
    public static bool IsTransient(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        for (var current = failure; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return IsTransientState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    // Npgsql's own verdict on a failure of the way to the server: the network (an I/O or
                    // socket error), a timeout, or a connection that could not be opened.
                    return true;
                case OperationCanceledException:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Any failure of the database or of the way to it, transient or not.</summary>
    public static bool IsDatabaseFailure(Exception failure) =>
        failure is NpgsqlException or TimeoutException or IOException or InvalidOperationException { InnerException: NpgsqlException };

    /// <summary>Whether a SQLSTATE names a failure that trying again may cure.</summary>
    public static bool IsTransientState(string sqlState)
    {
        ArgumentNullException.ThrowIfNull(sqlState);
        return sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || TransientStates.Contains(sqlState);
    }
}
