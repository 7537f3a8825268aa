using System.Data.Common;
using System.Runtime.CompilerServices;
using Loupe.Application.Common.Security;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Loupe.Infrastructure.Tenancy;

/// <summary>
/// Puts the current organization into the transaction of every statement, where the row-level
/// security policies read it with <c>current_setting('loupe.organization_id')</c>. The setting is
/// made with <c>set_config(…, true)</c>: transaction-local, so it ends with the transaction and never
/// follows a pooled connection to its next user. Without an organization it is set empty, and the
/// policies match nothing.
/// <list type="bullet">
/// <item>A statement outside a transaction (a query) is prefixed with a <c>DO</c> block that sets it;
/// the batch runs as one implicit transaction, and a <c>DO</c> block returns no result set.</item>
/// <item>Inside a transaction (every save; see <c>LoupeDbContext</c>) it is set once per transaction
/// and organization by a separate statement, so EF Core's batches are left exactly as it built them.
/// Npgsql hands out the same transaction object again for the next transaction on a connection, so
/// what was set is forgotten whenever a transaction starts, commits or rolls back.</item>
/// </list>
/// </summary>
internal sealed class TenantCommandInterceptor(ITenantScope tenant) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbTransaction, StrongBox<Guid?>> _scopedTransactions = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Scope(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await ScopeAsync(command, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Scope(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await ScopeAsync(command, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Scope(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await ScopeAsync(command, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        _scopedTransactions.Remove(result);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        _scopedTransactions.Remove(result);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => _scopedTransactions.Remove(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _scopedTransactions.Remove(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _scopedTransactions.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _scopedTransactions.Remove(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => _scopedTransactions.Remove(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _scopedTransactions.Remove(transaction);
        return Task.CompletedTask;
    }

    private void Scope(DbCommand command)
    {
        if (NeedsSetting(command, out var setting))
        {
            setting.ExecuteNonQuery();
            setting.Dispose();
        }
    }

    private async Task ScopeAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (NeedsSetting(command, out var setting))
        {
            await using (setting.ConfigureAwait(false))
            {
                await setting.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <returns>True with a command to run first when the command is in a transaction not yet scoped to the current organization.</returns>
    private bool NeedsSetting(DbCommand command, out DbCommand setting)
    {
        setting = null!;
        var organizationId = tenant.OrganizationId;
        if (command.Transaction is not { } transaction)
        {
            command.CommandText = OrganizationSetting.DoBlockPrefix(organizationId) + command.CommandText;
            return false;
        }

        var scoped = _scopedTransactions.GetOrCreateValue(transaction);
        if (scoped.Value == organizationId && scoped.Value is not null)
        {
            return false;
        }

        scoped.Value = organizationId;
        setting = OrganizationSetting.Command(command.Connection!, transaction, organizationId);
        return true;
    }
}
