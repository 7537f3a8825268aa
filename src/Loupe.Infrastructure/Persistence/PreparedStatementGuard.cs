using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Keeps the automatically prepared statements of Loupe's own pools true after a failed statement
/// (ADR 0017, amendment of 2026-12-06). Npgsql prepares a statement in the same round trip as its
/// second execution; when PostgreSQL accepts the Parse but refuses that execution at Bind (a NUL
/// character in a text parameter, 22021, among others), Npgsql 10 keeps the statement as prepared
/// without the description of its rows, and the next execution of the same SQL on that connection
/// fails with "Received unexpected backend message DataRow" and breaks the connection.
/// <para>
/// So a connection on which PostgreSQL refused a statement is remembered (by its server process id),
/// and the next time it is opened from the pool, before anything runs on it, every statement prepared
/// on it is dropped (<see cref="NpgsqlConnection.UnprepareAll"/>): the next executions prepare them
/// again. It is not done at once, since the failure may have left a transaction aborted until its
/// rollback, where PostgreSQL refuses everything else.
/// </para>
/// </summary>
internal sealed class PreparedStatementGuard
{
    private readonly ConcurrentDictionary<int, byte> _refused = new();

    /// <summary>The one guard of the process: a server process id names one connection of any pool.</summary>
    public static PreparedStatementGuard Shared { get; } = new();

    /// <summary>Remembers the connection when PostgreSQL refused a statement on it.</summary>
    public void Failed(DbConnection? connection, Exception failure)
    {
        if (connection is NpgsqlConnection { State: System.Data.ConnectionState.Open } npgsql && Refused(failure))
        {
            _refused.TryAdd(npgsql.ProcessID, 0);
        }
    }

    /// <summary>Drops the prepared statements of a connection just opened if PostgreSQL refused a statement on it before.</summary>
    public void Opened(DbConnection connection)
    {
        if (connection is NpgsqlConnection { State: System.Data.ConnectionState.Open } npgsql
            && !_refused.IsEmpty
            && _refused.TryRemove(npgsql.ProcessID, out _))
        {
            npgsql.UnprepareAll();
        }
    }

    private static bool Refused(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is PostgresException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Puts the <see cref="PreparedStatementGuard"/> where EF Core opens connections and runs commands.</summary>
internal sealed class PreparedStatementInterceptor : DbConnectionInterceptor, IDbCommandInterceptor
{
    public static PreparedStatementInterceptor Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        PreparedStatementGuard.Shared.Opened(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        PreparedStatementGuard.Shared.Opened(connection);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        PreparedStatementGuard.Shared.Failed(command.Connection, eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        PreparedStatementGuard.Shared.Failed(command.Connection, eventData.Exception);
        return Task.CompletedTask;
    }
}
