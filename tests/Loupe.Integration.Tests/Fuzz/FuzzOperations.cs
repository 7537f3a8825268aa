using System.Text.Json.Nodes;
using Loupe.Infrastructure.Tests;

namespace Loupe.Integration.Tests.Fuzz;

/// <summary>One operation of the checked-in OpenAPI document, as the fuzz test needs it.</summary>
public sealed record FuzzOperation(
    string Method,
    string Template,
    IReadOnlyList<JsonObject> Parameters,
    JsonNode? BodySchema)
{
    public override string ToString() => $"{Method} {Template}";

    /// <summary>Account-ending operations go last, so the rest run signed in.</summary>
    public int Order => (Method, Template) switch
    {
        ("POST", "/api/v1/auth/logout") => 3,
        ("POST", "/api/v1/me/password") => 2,
        ("DELETE", _) => 1,
        _ => 0,
    };
}

/// <summary>Every operation of <c>docs/openapi.json</c>, with its schemas resolved against the document's components.</summary>
public sealed class FuzzOperations
{
    private FuzzOperations(JsonObject components, IReadOnlyList<FuzzOperation> all)
    {
        Components = components;
        All = all;
    }

    public JsonObject Components { get; }

    public IReadOnlyList<FuzzOperation> All { get; }

    public static FuzzOperations Load()
    {
        var path = Path.Combine(Repository.Root, "docs", "openapi.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var operations = new List<FuzzOperation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var parameters = operation!["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
                operations.Add(new FuzzOperation(method.ToUpperInvariant(), template, parameters, body));
            }
        }

        return new FuzzOperations(
            document["components"]!["schemas"]!.AsObject(),
            [.. operations.OrderBy(o => o.Order).ThenBy(o => o.Template, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)]);
    }

    /// <summary>The schema a <c>$ref</c> points at, or the schema itself.</summary>
    public JsonNode? Resolve(JsonNode? schema)
    {
        for (var hops = 0; hops < 10 && schema?["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            schema = Components[reference["#/components/schemas/".Length..]];
        }

        return schema;
    }
}
