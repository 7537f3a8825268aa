using System.Reflection;
using System.Runtime.CompilerServices;
using Loupe.Domain.Common;

namespace Loupe.Architecture.Tests.Rules;

/// <summary>
/// The conventions NetArchTest 1.3.2 cannot state as we mean them (ADR 0039): immutable domain
/// events that may be records, and the feature-folder layout of the application layer.
/// </summary>
internal static class ConventionRules
{
    private const BindingFlags AllInstance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>
    /// Domain events are sealed (an abstract base event may stay open) and immutable: no settable
    /// property other than <c>init</c> or private, no writable field that is not private.
    /// </summary>
    public static IReadOnlyList<string> DomainEventsAreSealedAndImmutable(IEnumerable<Type> types)
    {
        var violations = new List<string>();
        foreach (var type in types.Where(t => !t.IsInterface && typeof(IDomainEvent).IsAssignableFrom(t)))
        {
            if (!type.IsSealed && !type.IsAbstract)
            {
                violations.Add($"domain event {type.FullName} is not sealed");
            }

            foreach (var property in type.GetProperties(AllInstance))
            {
                if (property.SetMethod is { IsPrivate: false } setter && !IsInitOnly(setter))
                {
                    violations.Add($"domain event {type.FullName} has a setter on {property.Name} that is {Accessibility(setter)}, not init or private");
                }
            }

            AddWritableFields(type, "domain event", f => !f.IsPrivate, violations);
        }

        return violations;
    }

    /// <summary>
    /// Outside <c>{root}</c> itself and <c>{root}.Common...</c>, a type lives in a feature
    /// (<c>{root}.Feature</c>) or in a use case of one (<c>{root}.Feature.Commands.UseCase</c>,
    /// <c>{root}.Feature.Queries.UseCase</c>), so a use case is found by its name.
    /// </summary>
    public static IReadOnlyList<string> TypesLiveInFeatureFolders(IEnumerable<Type> types, string rootNamespace)
    {
        var violations = new List<string>();
        foreach (var type in types.Where(t => !t.IsNested && !IsToolGenerated(t)))
        {
            var @namespace = type.Namespace ?? string.Empty;
            if (@namespace == rootNamespace || IsUnder(@namespace, rootNamespace + ".Common"))
            {
                continue;
            }

            if (!IsUnder(@namespace, rootNamespace))
            {
                violations.Add($"{type.FullName} lives outside {rootNamespace}");
                continue;
            }

            var parts = @namespace[(rootNamespace.Length + 1)..].Split('.');
            var isFeature = parts.Length == 1 && IsFeatureName(parts[0]);
            var isUseCase = parts.Length == 3 && IsFeatureName(parts[0]) && parts[1] is "Commands" or "Queries";
            if (!isFeature && !isUseCase)
            {
                violations.Add(
                    $"{type.FullName} is in {@namespace}; expected {rootNamespace}.<Feature> or {rootNamespace}.<Feature>.Commands|Queries.<UseCase>");
            }
        }

        return violations;
    }

    private static bool IsFeatureName(string part) => part is not ("Commands" or "Queries" or "Common");

    private static bool IsUnder(string @namespace, string parent) =>
        @namespace == parent || @namespace.StartsWith(parent + ".", StringComparison.Ordinal);

    /// <summary>Emitted by the compiler or a source generator (the regex generator's file-local helpers), not written by us.</summary>
    private static bool IsToolGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        || type.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), inherit: false);

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    private static void AddWritableFields(Type type, string role, Func<FieldInfo, bool> isExposed, List<string> violations)
    {
        foreach (var field in type.GetFields(AllInstance))
        {
            if (!field.IsInitOnly && !field.IsLiteral && isExposed(field) && !field.Name.Contains('<', StringComparison.Ordinal))
            {
                violations.Add($"{role} {type.FullName} has a writable field {field.Name}");
            }
        }
    }

    private static string Accessibility(MethodInfo method) => method switch
    {
        { IsPublic: true } => "public",
        { IsFamily: true } => "protected",
        { IsAssembly: true } => "internal",
        { IsFamilyOrAssembly: true } => "protected internal",
        _ => "private protected",
    };
}
