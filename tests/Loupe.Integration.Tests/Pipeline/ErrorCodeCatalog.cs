using System.Text.RegularExpressions;
using Loupe.Infrastructure.Tests;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>
/// The problem codes Loupe can produce (the catalog the API collects from its errors catalogs), and the codes
/// docs/errors.md lists.
/// </summary>
internal static partial class ErrorCodeCatalog
{
    /// <summary>The codes of docs/errors.md's tables: the first cell of each row whose second is a status (or —).</summary>
    public static IReadOnlySet<string> Documented { get; } = ReadDocumented();

    /// <summary>
    /// Every code the server can produce: the catalog the OpenAPI document's problem <c>code</c> enum is
    /// built from (<see cref="Api.Problems.ProblemCodes"/>), keyed by code with the member that declares it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Produced() => Api.Problems.ProblemCodes.All;

    /// <summary>Whether a code a response carried is listed: by name, or as a data source's SQLSTATE.</summary>
    public static bool IsDocumented(string code) => Documented.Contains(code) || SqlState().IsMatch(code);

    private static HashSet<string> ReadDocumented()
    {
        var path = Path.Combine(Repository.Root, "docs", "errors.md");
        return [.. File.ReadLines(path).Select(line => DocumentedRow().Match(line)).Where(m => m.Success).Select(m => m.Groups["code"].Value)];
    }

    [GeneratedRegex("^\\| `(?<code>[^`]+)` \\| ([0-9]{3}|—) \\|")]
    private static partial Regex DocumentedRow();

    [GeneratedRegex("^[0-9A-Z]{5}$")]
    private static partial Regex SqlState();
}
