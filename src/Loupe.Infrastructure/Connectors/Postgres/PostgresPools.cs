using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// One bounded pool per data source (spec §4.3). A pool is keyed by the data source's id and built
/// from its current connection string; when the settings or password change, the next use builds a
/// new pool and disposes the old one, and <see cref="ForgetAsync"/> disposes it when the data source
/// is deleted. Only a hash of the connection string is kept to notice changes.
/// </summary>
internal sealed class PostgresPools(int maxPoolSize) : IAsyncDisposable
{
    public const int DefaultMaxPoolSize = 10;

    private readonly ConcurrentDictionary<Guid, Pool> _pools = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public int MaxPoolSize { get; } = maxPoolSize;

    /// <summary>How many pools are open (for tests and metrics).</summary>
    public int Count => _pools.Count;

    /// <summary>The data source's pool for this connection string, built (and the previous one retired) when it changed.</summary>
    public NpgsqlDataSource For(Guid dataSourceId, string connectionString)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fingerprint = Fingerprint(connectionString);
        if (_pools.TryGetValue(dataSourceId, out var current) && current.Fingerprint.AsSpan().SequenceEqual(fingerprint))
        {
            return current.DataSource;
        }

        Pool? retired = null;
        NpgsqlDataSource result;
        lock (_gate)
        {
            if (_pools.TryGetValue(dataSourceId, out current) && current.Fingerprint.AsSpan().SequenceEqual(fingerprint))
            {
                return current.DataSource;
            }

            var created = new Pool(fingerprint, Create(connectionString, MaxPoolSize));
            retired = current;
            _pools[dataSourceId] = created;
            result = created.DataSource;
        }

        // Connections in use finish their run; the old pool closes them as they come back.
        retired?.DataSource.Dispose();
        return result;
    }

    public async ValueTask ForgetAsync(Guid dataSourceId)
    {
        if (_pools.TryRemove(dataSourceId, out var pool))
        {
            await pool.DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var id in _pools.Keys.ToList())
        {
            await ForgetAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>A pool that never opens more than <paramref name="maxPoolSize"/> connections, without multiplexing, resetting each session it takes back.</summary>
    internal static NpgsqlDataSource Create(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.MaxPoolSize = Math.Min(settings.MaxPoolSize, maxPoolSize);
        settings.MinPoolSize = Math.Min(settings.MinPoolSize, settings.MaxPoolSize);
        settings.Multiplexing = false;
        settings.Enlist = false;

        // Returning a connection to the pool resets the session (DISCARD ALL): no leftover settings,
        // advisory locks, LISTENs, prepared statements or temporary tables reach the next run.
        settings.NoResetOnClose = false;
        settings.ApplicationName ??= "loupe-query";
        return builder.Build();
    }

    private static byte[] Fingerprint(string connectionString) => SHA256.HashData(Encoding.UTF8.GetBytes(connectionString));

    private sealed record Pool(byte[] Fingerprint, NpgsqlDataSource DataSource);
}
