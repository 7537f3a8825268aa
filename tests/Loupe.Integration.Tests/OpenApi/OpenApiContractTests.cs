using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Loupe.Api.Http;
using Loupe.Api.Security;
using Loupe.Application.Common.Paging;
using Loupe.Application.SavedQueries.Commands.CreateSavedQuery;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using Loupe.Integration.Tests.Pipeline;
using Loupe.Integration.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.OpenApi;

/// <summary>
/// The served OpenAPI document is one a client generator makes a good client from: checked on every
/// operation and schema, so that it stays true as endpoints are added (ADR 0049). Each test collects every
/// offence before failing, naming the operation or schema.
/// </summary>
public sealed partial class OpenApiContractTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    [Fact]
    public async Task EveryOperation_HasAUniqueCamelCaseOperationId()
    {
        var (document, _) = await ServedAsync();
        var ids = Operations(document).Select(o => (o.Key, Id: o.Operation["operationId"]?.GetValue<string>())).ToList();

        ids.Where(o => o.Id is null || !CamelCase().IsMatch(o.Id)).Select(o => o.Key).ShouldBeEmpty("operations without a camelCase operationId");
        ids.GroupBy(o => o.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(o => o.Key))}")
            .ShouldBeEmpty("operationIds used twice");
    }

    [Fact]
    public async Task Descriptions_SpeakTheWireNames_NotDotNetTypes()
    {
        var (document, _) = await ServedAsync();
        var offences = new List<string>();
        Walk(document, "#");
        offences.ShouldBeEmpty("a <see cref> in an XML comment becomes a .NET type and member in the document: write the wire name in <c> instead");

        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        if (name is "description" or "summary" && value is JsonValue text && DotNetNoise().IsMatch(text.GetValue<string>()))
                        {
                            offences.Add($"{path}: {DotNetNoise().Match(text.GetValue<string>()).Value}");
                        }

                        Walk(value, $"{path}/{name}");
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], $"{path}/{i}");
                    }

                    break;
            }
        }
    }

    [Fact]
    public async Task EveryOperation_ListsTheCredentialsItTakes_AndAnonymousOnesNone()
    {
        var (document, endpoints) = await ServedAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        schemes["bearer"]!["type"]!.GetValue<string>().ShouldBe("http");
        schemes["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        schemes["api_key"]!["type"]!.GetValue<string>().ShouldBe("apiKey");
        schemes["api_key"]!["in"]!.GetValue<string>().ShouldBe("header");
        schemes["api_key"]!["name"]!.GetValue<string>().ShouldBe(LoupeAuthenticationSchemes.ApiKeyHeader);
        schemes["api_key_bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");

        var offences = new List<string>();
        foreach (var (key, operation) in Operations(document))
        {
            var metadata = endpoints[key];
            var listed = (operation["security"] as JsonArray ?? []).SelectMany(r => r!.AsObject().Select(p => p.Key)).Order(StringComparer.Ordinal).ToList();
            string[] expected = metadata.OfType<AnonymousCaller>().Any() ? []
                : ApiKeyRefusal.IsRefusing(metadata) ? ["bearer"]
                : ["api_key", "api_key_bearer", "bearer"];
            if (!listed.SequenceEqual(expected))
            {
                offences.Add($"{key}: security [{string.Join(", ", listed)}], expected [{string.Join(", ", expected)}]");
            }
        }

        offences.ShouldBeEmpty();
    }

    [Fact]
    public async Task NumbersAndTimestamps_AreTypedAsTheyAreSent()
    {
        var (document, _) = await ServedAsync();
        var offences = new List<string>();
        foreach (var (path, schema) in Schemas(document, "#"))
        {
            var types = Types(schema);
            if ((types.Contains("integer") || types.Contains("number")) && types.Contains("string"))
            {
                offences.Add($"{path}: a number that may be a string ({string.Join("|", types)})");
            }

            if (Text(schema, "format") is "int32" or "int64" && !types.Contains("integer"))
            {
                offences.Add($"{path}: an integer format without type integer");
            }

            if (Text(schema, "format") == "date-time" && !types.Contains("string"))
            {
                offences.Add($"{path}: a date-time that is not a string");
            }

            if (Text(schema, "pattern") == "^-?(?:0|[1-9]\\d*)$")
            {
                offences.Add($"{path}: a number written as a string pattern");
            }
        }

        foreach (var (name, property) in Properties(document).Where(p => p.Name.EndsWith("_at", StringComparison.Ordinal)))
        {
            if (Text(property, "format") != "date-time" || !Types(property).Contains("string"))
            {
                offences.Add($"{name}: a timestamp without type string and format date-time");
            }
        }

        offences.ShouldBeEmpty();
    }

    [Fact]
    public async Task ClosedSets_AreEnums_RequiredRequestFieldsAreNotNullable_AndPaginationIsRequired()
    {
        var (document, _) = await ServedAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var offences = new List<string>();

        // Not closed sets: a problem's type URI and HTTP status, types and kinds as the database names them, and
        // a job's kind (the name of its handler: a new handler is a new kind; a system job's too).
        string[] open = ["ProblemDetails.type", "ProblemDetails.status", "ColumnInfo.type", "ResultColumnDto.type", "TableInfo.kind", "AdminJobDto.kind", "SystemJobDto.kind"];
        foreach (var (name, property) in Properties(document)
            .Where(p => p.Name.Split('.')[1] is "status" or "type" or "role" or "kind" or "ssl_mode" && !open.Contains(p.Name)))
        {
            var resolved = property["$ref"] is { } reference ? schemas[reference.GetValue<string>().Split('/')[^1]]! : property;
            var enumerated = resolved["enum"] as JsonArray ?? (resolved["oneOf"] ?? resolved["anyOf"])?.AsArray()
                .Select(s => s!["$ref"] is { } r ? schemas[r.GetValue<string>().Split('/')[^1]] : s).Select(s => s?["enum"]).OfType<JsonArray>().FirstOrDefault();
            if (enumerated is not { Count: > 0 })
            {
                offences.Add($"{name}: a closed set without an enum");
            }
        }

        foreach (var (id, schema) in RequestBodySchemas(document))
        {
            foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
            {
                var property = schema["properties"]![required]!;
                if (Types(property).Contains("null") || (property["oneOf"] as JsonArray)?.Any(s => s?["type"]?.GetValue<string>() == "null") == true)
                {
                    offences.Add($"{id}.{required}: required in a request, yet nullable");
                }
            }
        }

        var pagination = schemas["Pagination"]!;
        pagination["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)
            .ShouldBe((pagination["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal));
        schemas["RunDto"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .ShouldBe(Enum.GetValues<RunStatus>().Select(s => s.ToName()), ignoreOrder: true);
        offences.ShouldBeEmpty();
    }

    [Fact]
    public async Task RequestLimits_ComeFromTheValidators()
    {
        var (document, _) = await ServedAsync();
        var schemas = document["components"]!["schemas"]!;

        var run = schemas["CreateRunCommand"]!["properties"]!;
        run["sql"]!["maxLength"]!.GetValue<int>().ShouldBe(QueryRun.SqlMaxLength);
        run["max_age_seconds"]!["maximum"]!.GetValue<int>().ShouldBe(QueryRun.MaxCacheAgeSeconds);
        run["max_age_seconds"]!["minimum"]!.GetValue<int>().ShouldBe(0);
        run["timeout_seconds"]!["minimum"]!.GetValue<int>().ShouldBe(1);
        schemas[nameof(CreateSavedQueryCommand)]!["properties"]!["parameters"]!["maxItems"]!.GetValue<int>().ShouldBe(QueryParameters.MaxDefinitions);

        // Every text a request body carries (its own or a nested object's) has a length limit, and every
        // list a count limit, whether a validator or the domain keeps it: the document names them all.
        var offences = RequestSchemasWithNested(document)
            .SelectMany(s => (s.Schema["properties"] as JsonObject ?? []).Select(p => (Name: $"{s.Id}.{p.Key}", Schema: p.Value!)))
            .Select(p => Types(p.Schema).Contains("string") && p.Schema["format"] is null && p.Schema["enum"] is null && p.Schema["maxLength"] is null
                    ? $"{p.Name}: no maxLength"
                    : Types(p.Schema).Contains("array") && p.Schema["maxItems"] is null ? $"{p.Name}: no maxItems" : null)
            .OfType<string>()
            .ToList();
        offences.ShouldBeEmpty();
        schemas["DataSourceSettingsInput"]!["properties"]!["password"]!["maxLength"]!.GetValue<int>().ShouldBe(Domain.DataSources.ConnectionSettings.PasswordMaxLength);
    }

    [Fact]
    public async Task EveryList_DocumentsItsQueryParameters()
    {
        var (document, endpoints) = await ServedAsync();
        var offences = new List<string>();
        var lists = 0;
        foreach (var (key, operation) in Operations(document))
        {
            var accepted = endpoints[key].OfType<AcceptedQueryParameters>().SelectMany(a => a.Names).ToList();
            var isList = Response(operation, "200")?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is { } reference
                && document["components"]!["schemas"]![reference.Split('/')[^1]]!["properties"]?["pagination"] is not null;
            if (!isList && accepted.Count == 0)
            {
                continue;
            }

            lists++;
            var parameters = (operation["parameters"] as JsonArray ?? []).Where(p => p!["in"]!.GetValue<string>() == "query")
                .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!, StringComparer.Ordinal);
            foreach (var name in accepted.Where(n => !parameters.ContainsKey(n)))
            {
                offences.Add($"{key}: accepts {name} but does not document it");
            }

            foreach (var name in new[] { ListQueryParameters.Page, ListQueryParameters.PerPage })
            {
                if (!parameters.TryGetValue(name, out var parameter) || !Types(parameter["schema"]!).SequenceEqual(["integer"])
                    || parameter["schema"]!["minimum"] is null || (name == ListQueryParameters.PerPage && parameter["schema"]!["maximum"] is null))
                {
                    offences.Add($"{key}: {name} is not a bounded integer parameter");
                }
            }

            if (parameters.TryGetValue(ListQueryParameters.Sort, out var sort) && sort["schema"]?["items"]?["enum"] is not JsonArray { Count: > 0 })
            {
                offences.Add($"{key}: sort does not list its keys");
            }

            if (parameters.TryGetValue(ListQueryParameters.Status, out var status) && status["schema"]?["enum"] is not JsonArray { Count: > 0 })
            {
                offences.Add($"{key}: status does not list its values");
            }

            // A result page's rows keep the order the query's SQL gave them: the one list with no sort.
            if (isList && !parameters.ContainsKey(ListQueryParameters.Sort) && !key.EndsWith("/runs/{id}/results", StringComparison.Ordinal))
            {
                offences.Add($"{key}: a list without sort");
            }
        }

        lists.ShouldBeGreaterThan(5);
        offences.ShouldBeEmpty();
        var runs = Operations(document).Single(o => o.Key == "GET /api/v1/runs").Operation["parameters"]!.AsArray();
        runs.Single(p => p!["name"]!.GetValue<string>() == "sort")!["schema"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .ShouldContain("-queued_at");
        runs.Single(p => p!["name"]!.GetValue<string>() == "per_page")!["schema"]!["maximum"]!.GetValue<int>().ShouldBe(PageRequest.MaxPerPage);
    }

    [Fact]
    public async Task EveryOperation_DocumentsTheProblemsItCanAnswer_WithTheCodeEnum()
    {
        var (document, endpoints) = await ServedAsync();
        var code = document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["code"]!;
        var codes = code["anyOf"]!.AsArray().Select(s => s!["enum"]).OfType<JsonArray>().Single().Select(c => c!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        codes.ShouldBe(ErrorCodeCatalog.Documented, ignoreOrder: true);

        var offences = new List<string>();
        foreach (var (key, operation) in Operations(document))
        {
            var metadata = endpoints[key];
            var expected = new List<string> { "400", "429", "503" };
            if (!metadata.OfType<AnonymousCaller>().Any())
            {
                expected.AddRange(["401", "403"]);
            }

            if (key.Contains('{', StringComparison.Ordinal))
            {
                expected.Add("404");
            }

            if (HeaderParameter(operation, EntityTags.IfMatchHeader))
            {
                expected.Add("412");
            }

            if (operation["requestBody"] is not null)
            {
                expected.AddRange(["413", "415"]);
            }

            offences.AddRange(expected.Where(status => Response(operation, status) is null).Select(status => $"{key}: no {status}"));
            foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture) >= 400))
            {
                if (response?["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ProblemDetails")
                {
                    offences.Add($"{key}: its {status} is not a problem");
                }
            }
        }

        offences.ShouldBeEmpty();
    }

    [Fact]
    public async Task Responses_CarryTheirHeaders_AndExportsTheirContentTypes()
    {
        var (document, _) = await ServedAsync();
        var offences = new List<string>();
        foreach (var (key, operation) in Operations(document))
        {
            foreach (var (status, response) in operation["responses"]!.AsObject())
            {
                var headers = response?["headers"] as JsonObject ?? [];
                string[] required =
                [
                    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                    .. status is "429" or "503" ? ["Retry-After"] : Array.Empty<string>(),
                    .. status == "401" ? ["WWW-Authenticate"] : Array.Empty<string>(),
                    .. status == "201" ? ["Location"] : Array.Empty<string>(),
                    .. status == "200" && HeaderParameter(operation, EntityTags.IfNoneMatchHeader) ? ["ETag"] : Array.Empty<string>(),
                ];
                offences.AddRange(required.Where(h => !headers.ContainsKey(h)).Select(h => $"{key} {status}: no {h} header"));
            }
        }

        offences.ShouldBeEmpty();
        var operations = Operations(document).ToDictionary(o => o.Key, o => o.Operation, StringComparer.Ordinal);
        Response(operations["GET /api/v1/runs/{id}/results.csv"], "200")!["content"]!.AsObject().Select(c => c.Key).ShouldBe(["text/csv"]);
        Response(operations["GET /api/v1/runs/{id}/results.json"], "200")!["content"]!.AsObject().Select(c => c.Key).ShouldBe(["application/json"]);
    }

    private async Task<(JsonNode Document, Dictionary<string, IReadOnlyList<object>> Endpoints)> ServedAsync()
    {
        await using var factory = LoupeApiFactory.For(database);
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;
        var endpoints = new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText!.Trim('/'), "}");
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                endpoints[$"{method} {path}"] = [.. endpoint.Metadata];
            }
        }

        var missing = Operations(document).Select(o => o.Key).Where(k => !endpoints.ContainsKey(k)).ToList();
        missing.ShouldBeEmpty("operations without an endpoint");
        return (document, endpoints);
    }

    private static IEnumerable<(string Key, JsonObject Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(o => Methods.Contains(o.Key))
            .Select(o => ($"{o.Key.ToUpperInvariant()} {path.Key}", o.Value!.AsObject())));

    private static JsonNode? Response(JsonObject operation, string status) => operation["responses"]?[status];

    private static bool HeaderParameter(JsonObject operation, string name) =>
        (operation["parameters"] as JsonArray ?? []).Any(p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == name);

    /// <summary>The schemas of request bodies, by component id.</summary>
    private static IEnumerable<(string Id, JsonNode Schema)> RequestBodySchemas(JsonNode document)
    {
        var schemas = document["components"]!["schemas"]!;
        return Operations(document)
            .Select(o => o.Operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>())
            .OfType<string>()
            .Select(r => r.Split('/')[^1])
            .Distinct(StringComparer.Ordinal)
            .Select(id => (id, schemas[id]!));
    }

    /// <summary>The request bodies' schemas and every object schema they refer to, through properties and list items.</summary>
    private static IEnumerable<(string Id, JsonNode Schema)> RequestSchemasWithNested(JsonNode document)
    {
        var schemas = document["components"]!["schemas"]!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(RequestBodySchemas(document).Select(s => s.Id));
        while (pending.TryDequeue(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            var schema = schemas[id]!;
            yield return (id, schema);
            foreach (var property in (schema["properties"] as JsonObject ?? []).Select(p => p.Value!))
            {
                foreach (var reference in new[] { property, property["items"] }.Concat(property["oneOf"] as JsonArray ?? []).Concat(property["anyOf"] as JsonArray ?? []))
                {
                    if (reference?["$ref"]?.GetValue<string>() is { } target)
                    {
                        pending.Enqueue(target.Split('/')[^1]);
                    }
                }

                if (property["items"]?["$ref"] is null && (property["items"]?["oneOf"] as JsonArray ?? []).FirstOrDefault(o => o?["$ref"] is not null)?["$ref"]?.GetValue<string>() is { } item)
                {
                    pending.Enqueue(item.Split('/')[^1]);
                }
            }
        }
    }

    /// <summary>Every property of every component schema, named <c>Schema.property</c>.</summary>
    private static IEnumerable<(string Name, JsonNode Schema)> Properties(JsonNode document) =>
        document["components"]!["schemas"]!.AsObject().SelectMany(s => (s.Value!["properties"] as JsonObject ?? [])
            .Select(p => ($"{s.Key}.{p.Key}", p.Value!)));

    /// <summary>Every schema in the document, with a JSON pointer-like path.</summary>
    private static IEnumerable<(string Path, JsonObject Schema)> Schemas(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue or JsonArray || obj["format"] is JsonValue)
                {
                    yield return (path, obj);
                }

                foreach (var (key, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var found in Schemas(child, $"{path}/{key}"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        foreach (var found in Schemas(child, $"{path}/{i}"))
                        {
                            yield return found;
                        }
                    }
                }

                break;
        }
    }

    private static string? Text(JsonNode schema, string key) => (schema[key] as JsonValue)?.GetValue<string>();

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray array => [.. array.Select(t => t!.GetValue<string>())],
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    [GeneratedRegex(":[^}]+}")]
    private static partial Regex RouteConstraint();

    /// <summary>"IReadOnlyList&lt;X&gt;", "int? RunDto.QueuePosition", "bool QueryDraftFindingsDto.Valid": how a cref reads once rendered.</summary>
    [GeneratedRegex(@"&lt;|\b[A-Z][A-Za-z]+(Command|Query|Dto|Request|Input)\.[A-Z][A-Za-z]+\b")]
    private static partial Regex DotNetNoise();
}
