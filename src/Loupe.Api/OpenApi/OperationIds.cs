using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.OpenApi;

/// <summary>
/// Gives every operation a stable camelCase <c>operationId</c> (a generated client's method name), derived
/// from its method and route so that a new endpoint gets one without anyone remembering to: <c>GET /runs</c>
/// is <c>listRuns</c> (its answer is a list), <c>GET /runs/{id}</c> <c>getRun</c>, <c>POST /runs</c>
/// <c>createRun</c> (a plural last segment is a collection), <c>POST /runs/{id}/cancel</c> <c>cancelRun</c>
/// (any other last segment is an action), <c>PATCH</c> <c>update…</c>, <c>PUT</c> <c>set…</c>, <c>DELETE</c>
/// <c>delete…</c>. The <c>/auth</c> area is not part of the name (<c>login</c>, <c>listSessions</c>). An endpoint
/// named with <c>WithName</c> keeps its name. The OpenAPI document test checks the ids are unique.
/// </summary>
internal static class OperationIds
{
    /// <summary>First route segments that name an area of the API rather than a resource.</summary>
    private static readonly HashSet<string> Areas = new(StringComparer.Ordinal) { "auth" };

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(operation.OperationId))
        {
            var description = context.Description;
            operation.OperationId = For(description.HttpMethod ?? "GET", description.RelativePath ?? string.Empty, ReturnsList(description));
        }

        return Task.CompletedTask;
    }

    /// <summary>The id of <paramref name="method"/> on <paramref name="relativePath"/> (<c>api/v1/runs/{id}</c>).</summary>
    internal static string For(string method, string relativePath, bool returnsList)
    {
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .SkipWhile(s => s == "api" || (s.Length > 1 && s[0] == 'v' && s[1..].All(char.IsAsciiDigit)))
            .ToList();
        if (segments.Count > 1 && Areas.Contains(segments[0]))
        {
            segments.RemoveAt(0);
        }

        var endsWithParameter = segments.Count > 0 && IsParameter(segments[^1]);
        var names = segments.Where(s => !IsParameter(s)).ToList();
        if (names.Count == 0)
        {
            return method.ToLowerInvariant();
        }

        var last = names[^1];
        var before = names[..^1];
        return method.ToUpperInvariant() switch
        {
            "GET" when endsWithParameter => "get" + Singular(names),
            "GET" => (returnsList ? "list" : "get") + Singular(before) + Pascal(last),
            "POST" when endsWithParameter || IsPlural(Words(last)[^1]) => "create" + Singular(names),
            "POST" => Camel(last) + Singular(before),
            "PUT" => "set" + Singular(names),
            "PATCH" => "update" + Singular(names),
            "DELETE" => "delete" + Singular(names),
            _ => method.ToLowerInvariant() + Singular(names),
        };
    }

    private static bool ReturnsList(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description) =>
        description.SupportedResponseTypes.Any(r => r.StatusCode == StatusCodes.Status200OK && r.Type is { IsGenericType: true } type
            && type.GetProperty("Data") is { } data && data.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable)));

    private static bool IsParameter(string segment) => segment.StartsWith('{');

    private static string[] Words(string segment) => segment.Split(['-', '.', '_'], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsPlural(string word) => word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal);

    private static string Singular(IEnumerable<string> segments) => string.Concat(segments.Select(segment =>
    {
        var words = Words(segment);
        var lastWord = words[^1];
        words[^1] = lastWord.EndsWith("ies", StringComparison.Ordinal) ? lastWord[..^3] + "y" : IsPlural(lastWord) ? lastWord[..^1] : lastWord;
        return string.Concat(words.Select(Capitalized));
    }));

    private static string Pascal(string segment) => string.Concat(Words(segment).Select(Capitalized));

    private static string Camel(string segment)
    {
        var pascal = Pascal(segment);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal[1..];
    }

    private static string Capitalized(string word) =>
        word.Length == 0 ? word : char.ToUpper(word[0], CultureInfo.InvariantCulture) + word[1..];
}
