using System.Globalization;
using Loupe.Domain.Common;

namespace Loupe.Domain.DataSources;

/// <summary>
/// Which database accounts Loupe does not run user SQL with unless an admin opted in for the data
/// source (ADR 0026): an account that could undo the guard from inside a query (a superuser sets its
/// role back), read or write server files, run programs, signal other sessions, write every table or
/// create roles and databases. The connector reads these from the server whenever it opens a connection.
/// </summary>
public static class PrivilegedAccounts
{
    /// <summary>The problem's code, also the code of a run refused for this reason.</summary>
    public const string Code = "datasource.privileged_account";

    /// <summary>Role attributes (columns of <c>pg_roles</c>) that make an account privileged.</summary>
    public static IReadOnlyList<string> Attributes { get; } =
        ["rolsuper", "rolbypassrls", "rolcreaterole", "rolcreatedb", "rolreplication"];

    /// <summary>Predefined roles whose membership makes an account privileged.</summary>
    public static IReadOnlyList<string> Roles { get; } =
    [
        "pg_read_server_files", "pg_write_server_files", "pg_execute_server_program", "pg_signal_backend", "pg_write_all_data",
    ];

    /// <summary>The refusal, naming what the account holds and how to make one that only reads.</summary>
    public static DomainError Refused(IEnumerable<string> privileges, string? database)
    {
        ArgumentNullException.ThrowIfNull(privileges);
        var held = string.Join(", ", privileges);
        var databaseName = QuoteIdentifier(string.IsNullOrEmpty(database) ? "your_database" : database);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"""
            The data source's account is privileged ({held}): from inside a query it could undo Loupe's read-only guard. Connect with a role that can only read, for example (as a superuser, then grant SELECT on other schemas the same way):
            CREATE ROLE loupe_reader LOGIN PASSWORD '<new password>' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
            ALTER ROLE loupe_reader SET default_transaction_read_only = on;
            GRANT CONNECT ON DATABASE {databaseName} TO loupe_reader;
            GRANT USAGE ON SCHEMA public TO loupe_reader;
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO loupe_reader;
            An admin who accepts the risk may instead set allow_privileged_account to true on this data source.
            """);
        return DomainError.Unprocessable(Code, message);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
