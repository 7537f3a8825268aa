using System.Reflection;
using System.Text.RegularExpressions;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;
using Loupe.Domain.Runs;

namespace Loupe.Api.Problems;

/// <summary>
/// Every problem <c>code</c> Loupe can produce, collected from the errors catalogs: each static
/// <see cref="DomainError"/> of the domain, application, infrastructure and API assemblies (fields,
/// properties and factory methods, called with sample arguments), every constant of
/// <see cref="ErrorCodes"/> and <see cref="LoupeErrorCodes"/>, and every constant string named
/// <c>…Code</c> shaped like a code. The OpenAPI document lists them as the enum of a problem's <c>code</c>;
/// a test holds docs/errors.md to the same list. A data source's SQLSTATE (five characters, on a 502)
/// is the one code outside it.
/// </summary>
internal static partial class ProblemCodes
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Catalog = new(Collect);

    private static readonly Assembly[] Assemblies =
    [
        typeof(DomainError).Assembly,
        typeof(ErrorCodes).Assembly,
        typeof(Infrastructure.DependencyInjection).Assembly,
        typeof(ProblemCodes).Assembly,
    ];

    /// <summary>Each code, with the member that declares it (<c>RunErrors.NotFinished</c>).</summary>
    public static IReadOnlyDictionary<string, string> All => Catalog.Value;

    /// <summary>A data source's own SQLSTATE, passed through on a 502.</summary>
    public const string SqlStatePattern = "^[0-9A-Z]{5}$";

    private static Dictionary<string, string> Collect()
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

    /// <summary>A code as Loupe names them: snake_case words, optionally after a dotted area (run.not_finished), or LPnnn.</summary>
    [GeneratedRegex("^([a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?|LP[0-9]{3})$")]
    private static partial Regex CodeShape();
}
