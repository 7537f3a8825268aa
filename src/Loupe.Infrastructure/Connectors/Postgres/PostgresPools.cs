using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Loupe.Infrastructure.Telemetry;
using Npgsql;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// One bounded pool per data source (ADR 0020). A pool is keyed by the data source's id and built
/// from its current connection string; when the settings or password change, the next use builds a
/// new pool and disposes the old one, and <see cref="ForgetAsync"/> disposes it when the data source
/// is deleted. Only a hash of the settings is kept to notice changes. Each new physical connection
/// checks the account (<see cref="PostgresAccount"/>); whether a privileged one is allowed is part
/// of the pool's identity, so changing it builds a new pool too.
/// </summary>
internal sealed class PostgresPools(int maxPoolSize) : IAsyncDisposable
{
    public const int DefaultMaxPoolSize = 10;

    /// <summary>Seconds a physical connection is kept before it is closed and its account checked anew.</summary>
    public const int ConnectionLifetimeSeconds = 600;

    private readonly ConcurrentDictionary<Guid, Pool> _pools = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public int MaxPoolSize { get; } = maxPoolSize;

    /// <summary>How many pools are open (for tests and metrics).</summary>
    public int Count => _pools.Count;

    /// <summary>The data source's pool for these connection settings, built (and the previous one retired) when they changed.</summary>
    /// <param name="tlsHost">The host name TLS verifies the certificate against when <paramref name="settings"/> connect to an address; null for an address.</param>
    public NpgsqlDataSource For(Guid dataSourceId, NpgsqlConnectionStringBuilder settings, bool allowPrivilegedAccount, string? tlsHost = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fingerprint = Fingerprint(settings, allowPrivilegedAccount, tlsHost);
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

            var created = new Pool(fingerprint, Create(settings, MaxPoolSize, allowPrivilegedAccount, tlsHost, PoolName(dataSourceId)));
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

    /// <summary>A pool from a connection string (tests give keys a data source cannot have, such as a pool size).</summary>
    internal static NpgsqlDataSource Create(string connectionString, int maxPoolSize, bool allowPrivilegedAccount = false) =>
        Create(new NpgsqlConnectionStringBuilder(connectionString), maxPoolSize, allowPrivilegedAccount);

    /// <summary>The pool's name in metrics: the data source's id, never its host, database or account.</summary>
    public static string PoolName(Guid dataSourceId) => $"datasource-{dataSourceId}";

    /// <summary>
    /// A pool that never opens more than <paramref name="maxPoolSize"/> connections, without multiplexing,
    /// resetting each session it takes back. Its commands make no trace spans: they are users' SQL (ADR 0040).
    /// </summary>
    internal static NpgsqlDataSource Create(
        NpgsqlConnectionStringBuilder source, int maxPoolSize, bool allowPrivilegedAccount, string? tlsHost = null, string poolName = "datasource")
    {
        var builder = new NpgsqlDataSourceBuilder { Name = poolName };
        builder.TraceNoCommands();
        var settings = builder.ConnectionStringBuilder;

        // Copied value by value, never through the text, so every value arrives exactly as given.
        foreach (string key in source.Keys)
        {
            if (source.TryGetValue(key, out var value) && value is not null && source.ShouldSerialize(key))
            {
                settings[key] = value;
            }
        }

        settings.MaxPoolSize = Math.Min(settings.MaxPoolSize, maxPoolSize);
        settings.MinPoolSize = Math.Min(settings.MinPoolSize, settings.MaxPoolSize);
        settings.Multiplexing = false;
        settings.Enlist = false;

        // Returning a connection to the pool resets the session (DISCARD ALL): no leftover settings,
        // advisory locks, LISTENs, prepared statements or temporary tables reach the next run.
        settings.NoResetOnClose = false;
        settings.ApplicationName ??= "loupe-query";

        // The server's DETAIL reaches the run's error only for the SQLSTATE classes that describe the
        // person's own SQL or values (RunError.FromDatabase); Loupe never logs it.
        settings.IncludeErrorDetail = true;

        // A connection lives at most this long, so the account check below runs again now and then
        // even on a busy pool (a privilege granted later is noticed within this time).
        settings.ConnectionLifetime = ConnectionLifetimeSeconds;
        builder.UsePhysicalConnectionInitializer(
            connection => PostgresAccount.EnsureAllowed(connection, allowPrivilegedAccount),
            connection => PostgresAccount.EnsureAllowedAsync(connection, allowPrivilegedAccount));

        // The pool connects to a checked address (ADR 0027); TLS names the server by its host name, for
        // SNI and for verify-full, whose check of the certificate's names Npgsql leaves to .NET.
        if (tlsHost is not null)
        {
            builder.UseSslClientAuthenticationOptionsCallback(options => options.TargetHost = tlsHost);
        }

        return builder.Build();
    }

    /// <summary>A hash of every set key and its exact value.</summary>
    private static byte[] Fingerprint(NpgsqlConnectionStringBuilder settings, bool allowPrivilegedAccount, string? tlsHost)
    {
        var text = new StringBuilder(allowPrivilegedAccount ? "privileged allowed\0" : "privileged refused\0");
        text.Append("tls host\0").Append(tlsHost).Append('\0');
        foreach (string key in settings.Keys)
        {
            if (settings.ShouldSerialize(key) && settings.TryGetValue(key, out var value))
            {
                text.Append(key).Append('\0').Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\0');
            }
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    private sealed record Pool(byte[] Fingerprint, NpgsqlDataSource DataSource);
}
