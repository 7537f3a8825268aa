namespace Loupe.Application.Common.Connectors;

/// <summary>
/// Schemas read recently, per data source and per version of its settings (its last change), so a
/// changed data source is read again. Entries expire after a configured time.
/// </summary>
public interface ISchemaCache
{
    bool TryGet(Guid dataSourceId, DateTimeOffset settingsVersion, out CachedSchema schema);

    void Store(Guid dataSourceId, DateTimeOffset settingsVersion, CachedSchema schema);
}

/// <summary>A schema and when it was read.</summary>
public sealed record CachedSchema(DatabaseSchema Schema, DateTimeOffset FetchedAt);
