using System.Data;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Tenancy;
using Npgsql;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// A short transaction on Loupe's own database, in one organization (ADR 0017): every batch it runs
/// starts with <see cref="OrganizationSetting"/>'s statement, so the row-level security policies see
/// the organization, and the setting ends with the transaction.
/// </summary>
internal sealed class TenantTransaction : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly Guid _organizationId;

    private TenantTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid organizationId)
    {
        _connection = connection;
        _transaction = transaction;
        _organizationId = organizationId;
    }

    public static async Task<TenantTransaction> BeginAsync(
        NpgsqlDataSource dataSource, Guid organizationId, IsolationLevel isolation, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            PreparedStatementGuard.Shared.Opened(connection);

            // Npgsql sends BEGIN with the first batch, so this costs no round trip of its own.
            var transaction = await connection.BeginTransactionAsync(isolation, ct).ConfigureAwait(false);
            return new TenantTransaction(connection, transaction, organizationId);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A batch of these statements, preceded by the organization's setting.</summary>
    public NpgsqlBatch Batch(params NpgsqlBatchCommand[] commands)
    {
        var batch = new NpgsqlBatch(_connection, _transaction);
        batch.BatchCommands.Add(OrganizationSetting.BatchCommand(_organizationId));
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>Runs the batch and answers a reader positioned on the first result after the setting's.</summary>
    public static async Task<NpgsqlDataReader> ReadAsync(NpgsqlBatch batch, CommandBehavior behavior, CancellationToken ct)
    {
        NpgsqlDataReader reader;
        try
        {
            reader = await batch.ExecuteReaderAsync(behavior, ct).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            PreparedStatementGuard.Shared.Failed(batch.Connection, e);
            throw;
        }

        try
        {
            await reader.NextResultAsync(ct).ConfigureAwait(false);
            return reader;
        }
        catch (Exception e)
        {
            PreparedStatementGuard.Shared.Failed(batch.Connection, e);
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task CommitAsync(CancellationToken ct) => _transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
