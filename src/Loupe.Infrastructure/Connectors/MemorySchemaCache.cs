using Loupe.Application.Common.Connectors;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Connectors;

/// <summary>
/// Schemas in this process's memory, for <c>DataSources:SchemaCacheMinutes</c>. The cache is bounded by
/// the number of tables and columns it holds (about 500,000), so huge catalogs push old entries out
/// rather than growing the process. Each node keeps its own: a schema is cheap to read again.
/// </summary>
internal sealed class MemorySchemaCache(IOptions<DataSourceOptions> options) : ISchemaCache, IDisposable
{
    private const long MaxSize = 500_000;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxSize });
    private readonly TimeSpan _lifetime = TimeSpan.FromMinutes(options.Value.SchemaCacheMinutes);

    public bool TryGet(Guid dataSourceId, DateTimeOffset settingsVersion, out CachedSchema schema)
    {
        if (_cache.TryGetValue(dataSourceId, out Entry? entry) && entry is not null && entry.SettingsVersion == settingsVersion)
        {
            schema = entry.Schema;
            return true;
        }

        schema = null!;
        return false;
    }

    public void Store(Guid dataSourceId, DateTimeOffset settingsVersion, CachedSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (_lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var size = 1 + schema.Schema.Schemas.Sum(s => 1 + s.Tables.Sum(t => 1 + t.Columns.Count));
        if (size > MaxSize)
        {
            return;
        }

        _cache.Set(dataSourceId, new Entry(settingsVersion, schema), new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = _lifetime,
            Size = size,
        });
    }

    public void Dispose() => _cache.Dispose();

    private sealed record Entry(DateTimeOffset SettingsVersion, CachedSchema Schema);
}
