using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Loupe.Infrastructure.Security.Secrets;

/// <summary>
/// Re-encrypts every stored secret that is not under the active key (<c>Secrets:ActiveKeyId</c>), across
/// all organizations, so a retired key can then be removed from configuration. It is an operator's
/// task, like migrating, and runs as the owner role (which row-level security does not filter). Each
/// secret is replaced only if it is still the one that was read, so a concurrent change wins.
/// </summary>
public sealed partial class SecretRotation(OwnerConnections owner, ISecretProtector protector, ILogger<SecretRotation> logger)
{
    private const int BatchSize = 200;

    /// <summary>How many secrets were re-encrypted, how many were already current, and how many could not be opened.</summary>
    public sealed record Outcome(int Reencrypted, int AlreadyCurrent, int Unreadable);

    public async Task<Outcome> RotateAsync(CancellationToken ct)
    {
        var activeKey = protector.CurrentKeyId;
        await using var connection = await owner.OpenAsync(ct).ConfigureAwait(false);

        int current;
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM data_sources WHERE password_key_id = $1", connection))
        {
            count.Parameters.Add(new NpgsqlParameter { Value = activeKey });
            current = (int)(long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }

        var reencrypted = 0;
        var unreadable = new HashSet<Guid>();
        while (true)
        {
            var batch = await ReadBatchAsync(connection, activeKey, unreadable, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var (id, keyId, cipher) in batch)
            {
                EncryptedSecret renewed;
                try
                {
                    renewed = protector.Protect(protector.Unprotect(EncryptedSecret.Create(keyId, cipher)));
                }
                catch (SecretProtectionException)
                {
                    unreadable.Add(id);
                    LogUnreadable(logger, id, keyId);
                    continue;
                }

                await using var update = new NpgsqlCommand(
                    "UPDATE data_sources SET password_key_id = $1, password_cipher = $2 WHERE id = $3 AND password_key_id = $4 AND password_cipher = $5",
                    connection);
                update.Parameters.Add(new NpgsqlParameter { Value = renewed.KeyId });
                update.Parameters.Add(new NpgsqlParameter { Value = renewed.CipherText.ToArray() });
                update.Parameters.Add(new NpgsqlParameter { Value = id });
                update.Parameters.Add(new NpgsqlParameter { Value = keyId });
                update.Parameters.Add(new NpgsqlParameter { Value = cipher });
                reencrypted += await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        LogRotated(logger, reencrypted, current, unreadable.Count, activeKey);
        return new Outcome(reencrypted, current, unreadable.Count);
    }

    private static async Task<List<(Guid Id, string KeyId, byte[] Cipher)>> ReadBatchAsync(
        NpgsqlConnection connection, string activeKey, HashSet<Guid> skipped, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand(
            "SELECT id, password_key_id, password_cipher FROM data_sources WHERE password_cipher IS NOT NULL AND password_key_id <> $1 AND NOT (id = ANY($2)) ORDER BY id LIMIT $3",
            connection);
        select.Parameters.Add(new NpgsqlParameter { Value = activeKey });
        select.Parameters.Add(new NpgsqlParameter { Value = skipped.ToArray() });
        select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
        var batch = new List<(Guid, string, byte[])>();
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            batch.Add((reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        }

        return batch;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Reencrypted} stored secrets under key {ActiveKeyId}; {AlreadyCurrent} were already under it; {Unreadable} could not be opened")]
    private static partial void LogRotated(ILogger logger, int reencrypted, int alreadyCurrent, int unreadable, string activeKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The password of data source {DataSourceId} was encrypted with key {KeyId}, which is not configured or does not open it; it is left as it is")]
    private static partial void LogUnreadable(ILogger logger, Guid dataSourceId, string keyId);
}
