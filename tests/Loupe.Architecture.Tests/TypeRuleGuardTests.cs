using System.Reflection;
using System.Runtime.CompilerServices;
using FluentValidation;
using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;
using Loupe.Domain.Common;
using MediatR;

namespace Loupe.Architecture.Tests;

/// <summary>
/// The NetArchTest rules look at the real layers, and their selections miss nothing reflection
/// finds: an architecture test over the wrong or a partial set of types passes forever.
/// </summary>
public class TypeRuleGuardTests
{
    public static TheoryData<string, string> LayersAndMarkers => new()
    {
        { "Loupe.Domain", "Loupe.Domain.Organizations.Organization" },
        { "Loupe.Application", "Loupe.Application.DependencyInjection" },
        { "Loupe.Infrastructure", "Loupe.Infrastructure.Security.SecurityServices" },
    };

    [Theory]
    [MemberData(nameof(LayersAndMarkers))]
    public void NetArchTest_ReadsTheRealLayer(string assemblyName, string marker)
    {
        var layer = Assembly.Load(assemblyName);

        var types = LayerTypes.Of(layer).GetTypes().ToList();

        types.ShouldContain(t => t.FullName == marker);
        types.ShouldAllBe(t => t.Assembly == layer);
        types.Count.ShouldBe(WrittenTypes(layer).Count());
    }

    [Fact]
    public void HandlerSelection_IsEveryClassThatHandlesARequestOrANotification() =>
        TypeRules.Handlers(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().ShouldBe(
            ConcreteClasses(Layers.Application).Where(t => ImplementsGeneric(t, typeof(IRequestHandler<,>), typeof(INotificationHandler<>))),
            ignoreOrder: true);

    [Fact]
    public void RequestSelection_IsEveryRequest() =>
        TypeRules.Requests(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().ShouldBe(
            ConcreteClasses(Layers.Application).Where(t => ImplementsGeneric(t, typeof(IRequest<>))),
            ignoreOrder: true);

    [Fact]
    public void ValidatorSelection_IsEveryValidator() =>
        TypeRules.Validators(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().ShouldBe(
            ConcreteClasses(Layers.Application).Where(t => DerivesFromGeneric(t, typeof(AbstractValidator<>))),
            ignoreOrder: true);

    [Fact]
    public void EntitySelection_IsEveryEntity() =>
        TypeRules.Entities(LayerTypes.Of(Layers.Domain), "Loupe.Domain").GetTypes().ShouldBe(
            Layers.Domain.GetTypes().Where(t => t != typeof(Entity) && t.IsSubclassOf(typeof(Entity))),
            ignoreOrder: true);

    [Fact]
    public void Selections_AreNotEmpty()
    {
        TypeRules.Handlers(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().Count().ShouldBeGreaterThan(10);
        TypeRules.Requests(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().Count().ShouldBeGreaterThan(10);
        TypeRules.Validators(LayerTypes.Of(Layers.Application), "Loupe.Application").GetTypes().Count().ShouldBeGreaterThan(5);
        TypeRules.Entities(LayerTypes.Of(Layers.Domain), "Loupe.Domain").GetTypes().Count().ShouldBeGreaterThan(5);
    }

    /// <summary>
    /// The types NetArchTest reads: all but those the compiler nests for lambdas and state machines
    /// (it reads their code as their owner's), and the System.* and Microsoft.* ones the compiler
    /// embeds (nullable attributes, generated regexes).
    /// </summary>
    private static IEnumerable<Type> WrittenTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t =>
            !IsInsideCompilerGenerated(t)
            && !(t.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false)
            && !(t.Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) ?? false));

    private static bool IsInsideCompilerGenerated(Type type)
    {
        for (var current = type; current.DeclaringType is not null; current = current.DeclaringType)
        {
            if (current.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Type> ConcreteClasses(Assembly assembly) =>
        assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && !IsInsideCompilerGenerated(t));

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
}
