using System.Text;
using System.Text.Json;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;

namespace Loupe.Application.Runs;

/// <summary>
/// The one way a run's SQL gets its parameter values, for a saved query's run and for ad-hoc SQL
/// alike: <see cref="QueryParameters.Bind"/> with the values of the request's <c>parameters</c>
/// object; the result keeps the SQL as written, the map back to it and the values by name, which
/// the run shows.
/// </summary>
internal static class RunBinding
{
    /// <exception cref="Domain.Common.DomainException">A value is missing, unknown or of the wrong shape (a 400 naming <c>parameters.&lt;name&gt;</c>).</exception>
    public static Bound Bind(string sql, IReadOnlyList<ParameterDefinition> definitions, IReadOnlyDictionary<string, JsonElement>? values)
    {
        var bound = QueryParameters.Bind(sql, definitions, ParameterJson.ToValues(values));
        return new Bound(bound, new QueryRun.RunSource(sql, bound.SourceMap.IsIdentity ? null : bound.SourceMap.Encode(), ToJson(bound.Named)));
    }

    /// <summary>Like <see cref="Bind"/> with values the domain reads already; false with every problem instead of throwing.</summary>
    public static bool TryBind(
        string sql,
        IReadOnlyList<ParameterDefinition> definitions,
        IReadOnlyDictionary<string, ParameterValue?> values,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Bound? bound,
        out IReadOnlyList<Domain.Common.DomainError> errors)
    {
        if (!QueryParameters.TryBind(sql, definitions, values, out var query, out errors))
        {
            bound = null;
            return false;
        }

        bound = new Bound(query, new QueryRun.RunSource(sql, query.SourceMap.IsIdentity ? null : query.SourceMap.Encode(), ToJson(query.Named)));
        return true;
    }

    /// <summary>The cache key of a bound query on its data source (<see cref="RunCacheKey"/>): equal keys, equal results.</summary>
    public static string CacheKeyOf(Guid dataSourceId, Bound bound) =>
        RunCacheKey.Of(dataSourceId, bound.Query.Sql, RunParameterValues.Encode(bound.Query.Values));

    /// <summary>The values by name as a JSON object in the API's shape; null when there are no parameters.</summary>
    private static string? ToJson(IReadOnlyDictionary<string, ParameterValue?> named)
    {
        if (named.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in named)
            {
                writer.WritePropertyName(name);
                if (ParameterJson.ToJson(value) is { } json)
                {
                    json.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The SQL and values to send, and what the run keeps of its source.</summary>
    public sealed record Bound(BoundQuery Query, QueryRun.RunSource Source);
}
