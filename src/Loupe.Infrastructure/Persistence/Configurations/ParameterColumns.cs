using Loupe.Application.SavedQueries;
using Loupe.Domain.Queries.Parameters;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>Parameter definitions stored as <c>jsonb</c>, in the API's own shape (<see cref="ParameterJson"/>).</summary>
internal static class ParameterColumns
{
    public const string ColumnType = "jsonb";

    public static readonly ValueConverter<IReadOnlyList<ParameterDefinition>, string> Conversion = new(
        definitions => ParameterJson.Serialize(definitions),
        json => ParameterJson.Deserialize(json));

    public static readonly ValueComparer<IReadOnlyList<ParameterDefinition>> Comparer = new(
        (left, right) => left!.SequenceEqual(right!),
        definitions => definitions.Aggregate(0, (hash, definition) => HashCode.Combine(hash, definition)),
        definitions => definitions.ToList());
}
