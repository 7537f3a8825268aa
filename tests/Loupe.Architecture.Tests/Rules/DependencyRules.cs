using System.Text.RegularExpressions;
using Loupe.Architecture.Tests.Analysis;

namespace Loupe.Architecture.Tests.Rules;

/// <summary>Rules over what the code of a set of types uses, found by <see cref="TypeDependencies"/>.</summary>
internal static partial class DependencyRules
{
    /// <summary>No type depends on a type in one of <paramref name="forbiddenNamespaces"/> or below it.</summary>
    public static IReadOnlyList<string> DependOnNoNamespace(IEnumerable<Type> types, params string[] forbiddenNamespaces) =>
    [
        .. types.SelectMany(type => TypeDependencies.Of(type).Types
            .Where(dependency => IsIn(dependency.Key.Namespace, forbiddenNamespaces))
            .Select(dependency => $"{type.FullName} depends on {dependency.Key.FullName} ({dependency.Value})")),
    ];

    /// <summary>No type's code holds a string literal that reads like SQL.</summary>
    public static IReadOnlyList<string> HoldNoSql(IEnumerable<Type> types) =>
    [
        .. types.SelectMany(type => TypeDependencies.Of(type).Strings
            .Where(LooksLikeSql)
            .Distinct(StringComparer.Ordinal)
            .Select(literal => $"{type.FullName} holds SQL \"{Shorten(literal)}\"")),
    ];

    /// <summary>
    /// One statement shape per verb, so prose such as "Update the title" or "Deleted from favourites"
    /// does not match, while <c>select id from t</c> in any case does.
    /// </summary>
    public static bool LooksLikeSql(string literal) => SqlStatement().IsMatch(literal);

    /// <summary>Tokens the analyzer could not resolve, so a rule that found nothing did not miss them.</summary>
    public static IReadOnlyList<string> ResolveCompletely(IEnumerable<Type> types) =>
        [.. types.SelectMany(type => TypeDependencies.Of(type).Unresolved.Select(u => $"{type.FullName}: {u}"))];

    private static bool IsIn(string? @namespace, IEnumerable<string> forbidden) =>
        @namespace is not null && forbidden.Any(f =>
            @namespace.Equals(f, StringComparison.Ordinal) || @namespace.StartsWith(f + ".", StringComparison.Ordinal));

    private static string Shorten(string literal) =>
        literal.Length <= 80 ? literal : string.Concat(literal.AsSpan(0, 77), "...");

    [GeneratedRegex(
        """
        \bSELECT\b[\s\S]*?\bFROM\s+[\w"\[(]
        | \bINSERT\s+INTO\b
        | \bUPDATE\s+[\w".]+\s+SET\b
        | \bDELETE\s+FROM\b
        | \b(CREATE|ALTER|DROP)\s+(TABLE|INDEX|VIEW|SCHEMA|SEQUENCE|FUNCTION|TRIGGER)\b
        | \bTRUNCATE\s+TABLE\b
        """,
        RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex SqlStatement();
}
