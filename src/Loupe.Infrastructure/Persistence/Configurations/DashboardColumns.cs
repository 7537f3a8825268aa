using Loupe.Application.Dashboards;
using Loupe.Domain.Dashboards;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>
/// A dashboard's tiles, parameters and mappings stored as <c>jsonb</c> in the API's own shape
/// (<see cref="DashboardJson"/>, <see cref="ParameterColumns"/>); the same for the dashboard and each of its versions.
/// </summary>
internal static class DashboardColumns
{
    private static readonly ValueConverter<IReadOnlyList<DashboardTile>, string> Tiles = new(
        tiles => DashboardJson.SerializeTiles(tiles),
        json => DashboardJson.DeserializeTiles(json));

    private static readonly ValueComparer<IReadOnlyList<DashboardTile>> TilesComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        tiles => tiles.Aggregate(0, (hash, tile) => HashCode.Combine(hash, tile)),
        tiles => tiles.ToList());

    private static readonly ValueConverter<IReadOnlyList<ParameterMapping>, string> Mappings = new(
        mappings => DashboardJson.SerializeMappings(mappings),
        json => DashboardJson.DeserializeMappings(json));

    private static readonly ValueComparer<IReadOnlyList<ParameterMapping>> MappingsComparer = new(
        (left, right) => left!.SequenceEqual(right!),
        mappings => mappings.Aggregate(0, (hash, mapping) => HashCode.Combine(hash, mapping)),
        mappings => mappings.ToList());

    public static void TilesColumn(this PropertyBuilder<IReadOnlyList<DashboardTile>> property) =>
        property.HasColumnType(ParameterColumns.ColumnType).HasConversion(Tiles, TilesComparer).IsRequired();

    public static void MappingsColumn(this PropertyBuilder<IReadOnlyList<ParameterMapping>> property) =>
        property.HasColumnName("parameter_mappings").HasColumnType(ParameterColumns.ColumnType).HasConversion(Mappings, MappingsComparer).IsRequired();
}
