using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Loupe.Application.Common.Paging;

namespace Loupe.Integration.Tests.Fuzz;

/// <summary>A request the fuzz test sends; its text is what a failure prints.</summary>
public sealed record FuzzRequest(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, string? Body, string ContentType, bool AsAdmin)
{
    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Body.Length > 2000 ? $"{Body[..2000]}… ({Body.Length} chars)" : Body;
        var headers = string.Join("; ", Headers.Select(h => $"{h.Name}: {h.Value}"));
        return $"{Method} {PathAndQuery} as {(AsAdmin ? "admin" : "anonymous")} [{ContentType}] {headers}\n{body}";
    }
}

/// <summary>
/// Requests for one operation, from its schemas but mutated: wrong types, nulls, NUL and lone
/// surrogates, huge strings, deep nesting, negative and huge numbers, invalid ids, extra and missing
/// fields. Each request is a pure function of its seed, so a failure replays from the seed FsCheck prints.
/// Hosts and paths of data sources stay local or invalid: nothing connects outside this machine.
/// </summary>
public sealed class FuzzRequests(FuzzOperations operations, IReadOnlyDictionary<string, Guid> pathIds, IReadOnlyDictionary<string, Guid> bodyIds)
{
    // Markers written into JSON strings and swapped for raw JSON after serializing (a writer refuses lone surrogates).
    private const string Nul = "~~NUL~~";
    private const string High = "~~HIGH~~";
    private const string Low = "~~LOW~~";
    private const string Deep = "~~DEEP~~";
    private const string BigNumber = "~~BIGNUM~~";

    /// <summary>Under the request body limit; every character of a generated body is ASCII (the writer escapes the rest).</summary>
    private const int MaxBodyChars = 1_000_000;

    /// <summary>The filters and paging of list endpoints, which read their query string whole (the document lists them in summaries).</summary>
    private static readonly string[] ListParameters =
    [
        ListQueryParameters.Page, ListQueryParameters.PerPage, ListQueryParameters.Sort, ListQueryParameters.Text, ListQueryParameters.Tags,
        ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore,
        ListQueryParameters.OwnerId, ListQueryParameters.Status, ListQueryParameters.QueuedAfter, ListQueryParameters.QueuedBefore, ListQueryParameters.OccurredAfter, ListQueryParameters.OccurredBefore,
        "action", "actor_id", "datasource_id", "saved_query_id", "requester_id", "role", "refresh",
    ];

    private static readonly string[] Words =
    [
        string.Empty, " ", "a", "Sales", "select 1", "SELECT {{ country }} AS c", "Zoë", "\U0001F600", "'; drop table users; --", "%", "_", "\\",
        "name", "-name", "created_at,-name", "admin", "viewer", "editor", "pending", "archived", "succeeded", "postgresql", "sqlite", "text",
        "number", "date", "enum", "require", "disable", "2026-01-01T00:00:00Z", "9999-12-31", "0001-01-01T00:00:00Z", "true", "null", "0", "-1",
        "1e309", "NaN", "lp_ak_garbage", "lp_pr_garbage", "../../etc/passwd", "a\tb\r\nc", "\u2028", "\uFEFF", "{{", "}}", "$1",
    ];

    /// <summary>Only local or unusable hosts: a host name would be looked up, and the fuzz must not wait on the network.</summary>
    private static readonly string[] Hosts = ["localhost", "127.0.0.1", string.Empty, " ", "::1", "127.0.0.1" + Nul, High];

    private static readonly string[] Paths = [string.Empty, "/nonexistent/loupe-fuzz.db", "relative.db", "../x.db", "/", "/dev/null"];

    public FuzzRequest Create(FuzzOperation operation, int seed, bool asAdmin)
    {
        var random = new Random(seed);
        var headers = new List<(string, string)>();
        var path = new StringBuilder();
        foreach (var segment in operation.Template.Split('/'))
        {
            if (path.Length > 0 || segment.Length > 0)
            {
                path.Append('/');
            }

            path.Append(segment.StartsWith('{') ? PathValue(random, operation.Template) : segment);
        }

        var query = new List<string>();
        foreach (var parameter in operation.Parameters)
        {
            var name = parameter["name"]!.GetValue<string>();
            var where = parameter["in"]!.GetValue<string>();
            if (where == "query" && random.Next(3) > 0)
            {
                query.Add($"{name}={QueryValue(random)}");
            }
            else if (where == "header" && random.Next(2) == 0)
            {
                headers.Add((name, random.Next(4) switch
                {
                    0 => "\"garbage\"",
                    1 => "*",
                    2 => "W/\"" + new string('x', random.Next(1, 300)) + "\"",
                    _ => "\"1\"",
                }));
            }
        }

        if (operation.Method == "GET")
        {
            for (var count = random.Next(4); count > 0; count--)
            {
                var name = random.Next(8) == 0 ? QueryValue(random) : ListParameters[random.Next(ListParameters.Length)];
                query.Add($"{name}={QueryValue(random)}");
            }
        }

        if (query.Count > 0)
        {
            path.Append('?').Append(string.Join('&', query));
        }

        var body = Body(random, operation);
        var contentType = random.Next(20) == 0 ? "text/plain" : "application/json";
        return new FuzzRequest(operation.Method, path.ToString(), headers, body, contentType, asAdmin);
    }

    private string PathValue(Random random, string template)
    {
        var seeded = pathIds.Where(pair => template.StartsWith(pair.Key, StringComparison.Ordinal)).Select(pair => (Guid?)pair.Value).FirstOrDefault();
        return random.Next(10) switch
        {
            < 5 when seeded is { } id => id.ToString(),
            5 => Guid.NewGuid().ToString(),
            6 => Guid.Empty.ToString(),
            7 => Uri.EscapeDataString(Words[random.Next(Words.Length)]) is { Length: > 0 } word ? word : "x",
            // Not %00: Kestrel itself refuses a path holding it (an empty 400) before Loupe runs.
            8 => random.Next(2) == 0 ? "%ED%A0%80" : "%FF",
            _ => seeded?.ToString("N") ?? "-1",
        };
    }

    private static string QueryValue(Random random) => random.Next(12) switch
    {
        0 => "%00",
        1 => "a%00b",
        2 => "%ED%A0%80",
        3 => "%FF%FE",
        4 => "%",
        // Long, but a request line stays within Kestrel's 8 KB: past it Kestrel answers 414 itself, before Loupe runs.
        5 => new string('q', random.Next(100, 1500)),
        6 => random.Next(2) == 0 ? "-2147483649" : "99999999999999999999999",
        7 => Guid.NewGuid().ToString(),
        _ => Uri.EscapeDataString(Words[random.Next(Words.Length)]),
    };

    private string? Body(Random random, FuzzOperation operation)
    {
        switch (random.Next(operation.BodySchema is null ? 4 : 30))
        {
            case 0:
                return null;
            case 1:
                return Finish(random.Next(5) switch
                {
                    0 => string.Empty,
                    1 => "{",
                    2 => "null",
                    3 => "\"" + Nul + "\"",
                    _ => "[" + Deep + "]",
                });
            case 2:
                return Finish(JsonSerializer.Serialize(AnyValue(random, 0)));
            default:
                if (operation.BodySchema is null)
                {
                    return random.Next(2) == 0 ? null : "{}";
                }

                return Finish(Value(random, operation.BodySchema, null, 0)?.ToJsonString() ?? "null");
        }
    }

    /// <summary>A value for <paramref name="schema"/>, mutated now and then.</summary>
    private JsonNode? Value(Random random, JsonNode? schema, string? field, int depth)
    {
        if (random.Next(8) == 0 || depth > 6)
        {
            return Mutant(random, field, depth);
        }

        schema = operations.Resolve(schema);
        if (schema?["oneOf"] is JsonArray choices && choices.Count > 0)
        {
            return Value(random, choices[random.Next(choices.Count)], field, depth);
        }

        var types = schema?["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).Where(t => t != "null" || random.Next(6) == 0).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        var type = types.Count == 0 ? (schema?["properties"] is not null ? "object" : "any") : types[random.Next(types.Count)];
        return type switch
        {
            "object" => Object(random, schema!, depth),
            "array" => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, schema!["items"], field, depth + 1))]),
            "string" when schema?["format"]?.GetValue<string>() == "uuid" => JsonValue.Create(Id(random, field)),
            "string" => JsonValue.Create(Text(random, field)),
            "integer" => Integer(random),
            "number" => Integer(random),
            "boolean" => JsonValue.Create(random.Next(2) == 0),
            "null" => null,
            _ => AnyValue(random, depth),
        };
    }

    private JsonObject Object(Random random, JsonNode schema, int depth)
    {
        var result = new JsonObject();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                // Required or not, a field is left out now and then.
                if (random.Next(7) > 0)
                {
                    result[name] = Value(random, property, name, depth + 1);
                }
            }
        }
        else
        {
            // A free-form object (e.g. run parameters): names of the seeded query's parameter and others.
            for (var count = random.Next(4); count > 0; count--)
            {
                result[random.Next(2) == 0 ? "country" : Text(random, null)] = AnyValue(random, depth + 1);
            }
        }

        if (random.Next(8) == 0)
        {
            result["unexpected_" + random.Next(100).ToString(CultureInfo.InvariantCulture)] = AnyValue(random, depth + 1);
        }

        return result;
    }

    /// <summary>A value of the wrong kind, or the right kind at its worst.</summary>
    private static JsonNode? Mutant(Random random, string? field, int depth) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(Text(random, field)),
        2 => Integer(random),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 => new JsonArray(JsonValue.Create(Nul), JsonValue.Create(High)),
        5 => new JsonObject { ["x"] = JsonValue.Create(Low) },
        6 => JsonValue.Create(Deep),
        7 => JsonValue.Create(new string('h', random.Next(2) == 0 ? 70_000 : 900_000)),
        _ => AnyValue(random, depth),
    };

    private static JsonNode? AnyValue(Random random, int depth) => random.Next(depth > 3 ? 4 : 6) switch
    {
        0 => null,
        1 => JsonValue.Create(Text(random, null)),
        2 => Integer(random),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 => new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => AnyValue(random, depth + 1))]),
        _ => new JsonObject { [Text(random, null)] = AnyValue(random, depth + 1) },
    };

    private static JsonValue Integer(Random random) => random.Next(9) switch
    {
        0 => JsonValue.Create(0),
        1 => JsonValue.Create(-1),
        2 => JsonValue.Create(int.MaxValue),
        3 => JsonValue.Create(int.MinValue),
        4 => JsonValue.Create(long.MaxValue),
        5 => JsonValue.Create(BigNumber),
        6 => JsonValue.Create(1.5),
        7 => JsonValue.Create("12"),
        _ => JsonValue.Create(random.Next(1, 100)),
    };

    private string Id(Random random, string? field) => random.Next(6) switch
    {
        < 3 when field is not null && bodyIds.TryGetValue(field, out var seeded) => seeded.ToString(),
        3 => Guid.Empty.ToString(),
        4 => "not-a-uuid" + Nul,
        _ => Guid.NewGuid().ToString(),
    };

    private static string Text(Random random, string? field)
    {
        switch (field)
        {
            case "host":
                return Hosts[random.Next(Hosts.Length)];
            case "path":
                return Paths[random.Next(Paths.Length)];
        }

        if (random.Next(6) == 0)
        {
            return random.Next(5) switch
            {
                0 => "a" + Nul + "b",
                1 => High,
                2 => "x" + Low,
                3 => High + High,
                _ => new string('s', random.Next(100, 5000)),
            };
        }

        return field switch
        {
            "connection_string" => random.Next(3) switch
            {
                0 => "Host=localhost;Port=1;Database=d;Username=u;Password=p",
                1 => "Data Source=/nonexistent/loupe-fuzz.db",
                _ => Words[random.Next(Words.Length)],
            },
            "email" => random.Next(3) == 0 ? Words[random.Next(Words.Length)] : $"fuzz.{random.Next(100000)}@example.com",
            "password" or "new_password" or "current_password" => random.Next(2) == 0 ? "a perfectly long passphrase" : Words[random.Next(Words.Length)],
            _ => Words[random.Next(Words.Length)],
        };
    }

    /// <summary>
    /// Swaps the markers for what a JSON writer would not write: escapes of NUL and lone surrogates,
    /// deep nesting, huge numbers. A body stays under the 1 MiB limit (cut short, it is malformed JSON):
    /// past the limit Kestrel answers 413 and closes the connection while the client is still writing,
    /// so the client sees a broken pipe instead of the answer.
    /// </summary>
    private static string Finish(string json)
    {
        var finished = Swap(json);
        return finished.Length > MaxBodyChars ? finished[..MaxBodyChars] : finished;
    }

    private static string Swap(string json) => json
        .Replace(Nul, "\\u0000", StringComparison.Ordinal)
        .Replace(High, "\\ud800", StringComparison.Ordinal)
        .Replace(Low, "\\udc00", StringComparison.Ordinal)
        .Replace("\"" + Deep + "\"", new string('[', 200) + new string(']', 200), StringComparison.Ordinal)
        .Replace(Deep, new string('[', 200) + new string(']', 200), StringComparison.Ordinal)
        .Replace("\"" + BigNumber + "\"", "1" + new string('0', 400), StringComparison.Ordinal);
}
