using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace Loupe.Infrastructure.Tenancy;

/// <summary>
/// The one place that writes the SQL setting the row-level security policies read
/// (<c>current_setting('loupe.organization_id')</c>, ADR 0017). It is always made with
/// <c>set_config(…, true)</c>: transaction-local, so it ends with the transaction and never follows a
/// pooled connection to its next user. No organization sets it empty, and the policies match nothing
/// (instance jobs excepted). Used by the EF Core interceptor, the result store and the instance jobs.
/// </summary>
internal static class OrganizationSetting
{
    public const string Name = "loupe.organization_id";

    /// <summary>The statement, with the organization's id as its one parameter (<see cref="Value"/>).</summary>
    public const string SetSql = "SELECT set_config('" + Name + "', $1, true)";

    /// <summary>The setting's text for <paramref name="organizationId"/>: the id, or empty for none.</summary>
    public static string Value(Guid? organizationId) => organizationId?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A batch command that sets the organization for the rest of the transaction.</summary>
    public static NpgsqlBatchCommand BatchCommand(Guid? organizationId)
    {
        var command = new NpgsqlBatchCommand(SetSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Value(organizationId) });
        return command;
    }

    /// <summary>A command on <paramref name="connection"/>'s <paramref name="transaction"/> that sets the organization for the rest of it.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction transaction, Guid? organizationId)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SetSql;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Value(organizationId) });
        return command;
    }

    /// <summary>
    /// A prefix for a statement outside a transaction: a <c>DO</c> block that sets the organization for
    /// the batch's implicit transaction and returns no result set. A <c>DO</c> block takes no parameters;
    /// an id formats as hex digits and dashes only, so it is safe inside the literal.
    /// </summary>
    public static string DoBlockPrefix(Guid? organizationId) =>
        $"DO $loupe$ BEGIN PERFORM set_config('{Name}', '{Value(organizationId)}', true); END $loupe$;\n";
}
