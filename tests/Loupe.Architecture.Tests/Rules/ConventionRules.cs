using System.Reflection;
using System.Runtime.CompilerServices;
using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Architecture.Tests.Analysis;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Architecture.Tests.Rules;

/// <summary>Naming, visibility and immutability conventions of the application and domain layers.</summary>
internal static class ConventionRules
{
    private const BindingFlags AllInstance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    private static readonly Type[] HandlerContracts = [typeof(IRequestHandler<,>), typeof(INotificationHandler<>)];

    /// <summary>Handlers are internal, sealed and named <c>...Handler</c>.</summary>
    public static IReadOnlyList<string> HandlersAreInternalSealedAndNamed(IEnumerable<Type> types)
    {
        var violations = new List<string>();
        foreach (var type in Concrete(types).Where(t => ImplementsGeneric(t, HandlerContracts)))
        {
            CheckInternalSealedAndNamed(type, "handler", "Handler", violations);
        }

        return violations;
    }

    /// <summary>
    /// Requests are named <c>...Command</c> or <c>...Query</c> and declare who may send them with
    /// exactly one of <see cref="AuthorizeAttribute"/> and <see cref="AllowAnonymousAttribute"/>.
    /// </summary>
    public static IReadOnlyList<string> RequestsAreNamedAndDeclareAccess(IEnumerable<Type> types)
    {
        var violations = new List<string>();
        foreach (var type in Concrete(types).Where(t => ImplementsGeneric(t, typeof(IRequest<>))))
        {
            var name = SimpleName(type);
            if (!name.EndsWith("Command", StringComparison.Ordinal) && !name.EndsWith("Query", StringComparison.Ordinal))
            {
                violations.Add($"request {type.FullName} is named neither ...Command nor ...Query");
            }

            var declarations = new[] { typeof(AuthorizeAttribute), typeof(AllowAnonymousAttribute) }
                .Count(attribute => type.IsDefined(attribute, inherit: false));
            if (declarations != 1)
            {
                violations.Add(
                    $"request {type.FullName} carries {declarations} of [Authorize] and [AllowAnonymous]; it needs exactly one");
            }
        }

        return violations;
    }

    /// <summary>Validators are internal, sealed and named <c>...Validator</c>.</summary>
    public static IReadOnlyList<string> ValidatorsAreInternalSealedAndNamed(IEnumerable<Type> types)
    {
        var violations = new List<string>();
        foreach (var type in Concrete(types).Where(t => DerivesFromGeneric(t, typeof(AbstractValidator<>))))
        {
            CheckInternalSealedAndNamed(type, "validator", "Validator", violations);
        }

        return violations;
    }

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

    /// <summary>Entities change only through their methods: no public setter (not even init), no public writable field.</summary>
    public static IReadOnlyList<string> EntitiesHaveNoPublicSetters(IEnumerable<Type> types)
    {
        var violations = new List<string>();
        foreach (var type in types.Where(t => t != typeof(Entity) && typeof(Entity).IsAssignableFrom(t)))
        {
            foreach (var property in type.GetProperties(AllInstance))
            {
                if (property.SetMethod is { IsPublic: true })
                {
                    violations.Add($"entity {type.FullName} has a public setter on {property.Name}");
                }
            }

            AddWritableFields(type, "entity", f => f.IsPublic, violations);
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

    /// <summary>Attributes and helpers the compiler embeds (nullable metadata, private implementation details).</summary>
    /// <summary>Emitted by the compiler or a source generator (the regex generator's file-local helpers), not written by us.</summary>
    private static bool IsToolGenerated(Type type) =>
        type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        || type.IsDefined(typeof(System.CodeDom.Compiler.GeneratedCodeAttribute), inherit: false);

    private static IEnumerable<Type> Concrete(IEnumerable<Type> types) =>
        types.Where(t => t.IsClass && !t.IsAbstract && !TypeDependencies.IsCompilerGenerated(t));

    private static void CheckInternalSealedAndNamed(Type type, string role, string suffix, List<string> violations)
    {
        if (IsVisibleOutsideAssembly(type))
        {
            violations.Add($"{role} {type.FullName} is public; make it internal");
        }

        if (!type.IsSealed)
        {
            violations.Add($"{role} {type.FullName} is not sealed");
        }

        if (!SimpleName(type).EndsWith(suffix, StringComparison.Ordinal))
        {
            violations.Add($"{role} {type.FullName} is not named ...{suffix}");
        }
    }

    /// <summary>Whether the type's own declared accessibility reaches outside its assembly.</summary>
    private static bool IsVisibleOutsideAssembly(Type type) =>
        type.IsNested ? type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamORAssem : type.IsPublic;

    private static bool ImplementsGeneric(Type type, params Type[] definitions) =>
        type.GetInterfaces().Any(i => i.IsGenericType && definitions.Contains(i.GetGenericTypeDefinition()));

    private static bool DerivesFromGeneric(Type type, Type definition)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == definition)
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>The type's name without the generic arity suffix (<c>Handler`1</c> becomes <c>Handler</c>).</summary>
    private static string SimpleName(Type type)
    {
        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }
}
