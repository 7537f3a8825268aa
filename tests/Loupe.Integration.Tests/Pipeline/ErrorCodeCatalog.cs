using System.Reflection;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;
using Loupe.Domain.Runs;
using Loupe.Infrastructure.Tests;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>
/// The problem codes Loupe can produce, collected by reflection from the errors catalogs, and the codes
/// docs/errors.md lists.
/// </summary>
internal static partial class ErrorCodeCatalog
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(DomainError).Assembly,
        typeof(ErrorCodes).Assembly,
        typeof(Infrastructure.DependencyInjection).Assembly,
        typeof(Api.IEndpointModule).Assembly,
    ];

    /// <summary>The codes of docs/errors.md's tables: the first cell of each row whose second is a status (or —).</summary>
    public static IReadOnlySet<string> Documented { get; } = ReadDocumented();

    /// <summary>
    /// Every static <see cref="DomainError"/> of the four assemblies (but DomainError's own factories) (fields, properties and factory
    /// methods, called with sample arguments), every constant of <see cref="ErrorCodes"/> and
    /// <see cref="LoupeErrorCodes"/>, and every constant string named <c>…Code</c> that holds a code.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Produced()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()).Where(t => !t.ContainsGenericParameters && t != typeof(DomainError)))
        {
            foreach (var field in type.GetFields(Static))
            {
                if (field.FieldType == typeof(DomainError) && field.GetValue(null) is DomainError error)
                {
                    codes.TryAdd(error.Code, $"{type.Name}.{field.Name}");
                }
                else if (field is { IsLiteral: true } && field.FieldType == typeof(string) && field.GetRawConstantValue() is string value
                    && (type == typeof(ErrorCodes) || type == typeof(LoupeErrorCodes) || (field.Name.EndsWith("Code", StringComparison.Ordinal) && CodeShape().IsMatch(value))))
                {
                    codes.TryAdd(value, $"{type.Name}.{field.Name}");
                }
            }

            foreach (var property in type.GetProperties(Static).Where(p => p.PropertyType == typeof(DomainError) && p.GetIndexParameters().Length == 0))
            {
                if (property.GetValue(null) is DomainError error)
                {
                    codes.TryAdd(error.Code, $"{type.Name}.{property.Name}");
                }
            }

            foreach (var method in type.GetMethods(Static).Where(m => m.ReturnType == typeof(DomainError) && !m.IsSpecialName && !m.ContainsGenericParameters
                && !m.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsByRefLike)))
            {
                // A factory answers its error for any argument; a check (PasswordPolicy.Check) may answer none for the sample.
                if (Invoke(method) is { } error)
                {
                    codes.TryAdd(error.Code, $"{type.Name}.{method.Name}");
                }
            }
        }

        // An unnamed rule is answered as validation_failed; it never reaches a client under its own name.
        codes.Remove("domain.unknown");
        return codes;
    }

    /// <summary>Whether a code a response carried is listed: by name, or as a data source's SQLSTATE.</summary>
    public static bool IsDocumented(string code) => Documented.Contains(code) || SqlState().IsMatch(code);

    private static DomainError? Invoke(MethodInfo method)
    {
        try
        {
            return method.Invoke(null, [.. method.GetParameters().Select(p => Sample(p.ParameterType))]) as DomainError;
        }
        catch (TargetInvocationException)
        {
            // A check that needs a real argument (not a catalog's factory), which returns the catalogs' errors.
            return null;
        }
    }

    private static object? Sample(Type type) => type switch
    {
        _ when type == typeof(string) => "sample",
        _ when type == typeof(int) => 1,
        _ when type == typeof(long) => 1L,
        _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
        _ when type.IsValueType => Activator.CreateInstance(type),
        _ => null,
    };

    private static HashSet<string> ReadDocumented()
    {
        var path = Path.Combine(Repository.Root, "docs", "errors.md");
        return [.. File.ReadLines(path).Select(line => DocumentedRow().Match(line)).Where(m => m.Success).Select(m => m.Groups["code"].Value)];
    }

    [GeneratedRegex("^\\| `(?<code>[^`]+)` \\| ([0-9]{3}|—) \\|")]
    private static partial Regex DocumentedRow();

    /// <summary>A code as Loupe names them: snake_case words, optionally after a dotted area (run.not_finished), or LPnnn.</summary>
    [GeneratedRegex("^([a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?|LP[0-9]{3})$")]
    private static partial Regex CodeShape();

    [GeneratedRegex("^[0-9A-Z]{5}$")]
    private static partial Regex SqlState();
}
