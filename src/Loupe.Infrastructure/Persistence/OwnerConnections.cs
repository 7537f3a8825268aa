using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// The owner role's connections (<c>ConnectionStrings:LoupeOwner</c>) for the work that must see every
/// organization at once: the result retention, the stranded-run sweep and the secret rotation. One small
/// pool, built on first use, named <see cref="PoolName"/> in the pool metrics.
/// </summary>
public sealed class OwnerConnections(IOptions<DatabaseOptions> options) : IAsyncDisposable, IDisposable
{
    public const string PoolName = "loupe-owner";

    // The sweeps run one at a time per node; the rotation is an operator's command.
    private const int MaxPoolSize = 4;

    // Its work comes every few minutes: an idle connection is closed after 30 s rather than kept.
    private const int IdleSeconds = 30;

    private readonly Lazy<NpgsqlDataSource> _source = new(() =>
    {
        var builder = options.Value.OwnerPoolBuilder(MaxPoolSize, PoolName);
        builder.ConnectionStringBuilder.ConnectionIdleLifetime = IdleSeconds;
        return builder.Build();
    });

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => _source.Value.OpenConnectionAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_source.IsValueCreated)
        {
            _source.Value.Dispose();
        }
    }
}
