using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// Reads what the data source's account may do beyond reading (ADR 0026) and refuses a privileged
/// account unless an admin allowed it. It runs on every physical connection a pool opens, so a
/// grant made after the data source was saved is noticed when the next connection opens.
/// </summary>
internal static class PostgresAccount
{
    /// <summary>
    /// The account's privileged attributes, then the predefined roles it is a member of (directly or
    /// not, inheriting or not: a member may SET ROLE to them). Roles a server version lacks are skipped.
    /// </summary>
    private const string PrivilegesSql = """
        SELECT a.name
        FROM pg_catalog.pg_roles r
        CROSS JOIN LATERAL (VALUES (1, 'rolsuper', r.rolsuper), (2, 'rolbypassrls', r.rolbypassrls),
          (3, 'rolcreaterole', r.rolcreaterole), (4, 'rolcreatedb', r.rolcreatedb), (5, 'rolreplication', r.rolreplication)) a(n, name, held)
        WHERE r.rolname = session_user AND a.held
        UNION ALL
        SELECT g.rolname::text
        FROM pg_catalog.pg_roles g
        WHERE g.rolname = ANY($1) AND pg_catalog.pg_has_role(session_user, g.oid, 'MEMBER')
        """;

    public static async Task<IReadOnlyList<string>> ReadPrivilegesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = Command(connection);
        var privileges = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            privileges.Add(reader.GetString(0));
        }

        return privileges;
    }

    /// <summary>The check a pool runs on each new physical connection: a refused account never reaches a query.</summary>
    public static async Task EnsureAllowedAsync(NpgsqlConnection connection, bool allowPrivileged)
    {
        if (allowPrivileged)
        {
            return;
        }

        var privileges = await ReadPrivilegesAsync(connection, CancellationToken.None).ConfigureAwait(false);
        if (privileges.Count > 0)
        {
            throw Refused(privileges, connection.Database);
        }
    }

    /// <summary>The same check for a synchronous open (Loupe opens asynchronously; Npgsql wants both).</summary>
    public static void EnsureAllowed(NpgsqlConnection connection, bool allowPrivileged)
    {
        if (allowPrivileged)
        {
            return;
        }

        using var command = Command(connection);
        var privileges = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                privileges.Add(reader.GetString(0));
            }
        }

        if (privileges.Count > 0)
        {
            throw Refused(privileges, connection.Database);
        }
    }

    public static QueryExecutionException Refused(IReadOnlyList<string> privileges, string? database) =>
        new(PrivilegedAccounts.Code, PrivilegedAccounts.Refused(privileges, database).Message);

    private static NpgsqlCommand Command(NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(PrivilegesSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = PrivilegedAccounts.Roles.ToArray() });
        return command;
    }
}
