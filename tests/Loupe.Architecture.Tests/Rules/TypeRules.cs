using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using MediatR;
using NetArchTest.Rules;

namespace Loupe.Architecture.Tests.Rules;

/// <summary>
/// The layer and naming rules NetArchTest states in one line each (ADR 0039). Every rule takes the
/// types to look at and the namespace they live in, so the same rule runs over a real layer
/// (<c>Loupe.Application</c>) and over the broken samples of its self-test.
/// </summary>
internal static class TypeRules
{
    public static readonly string[] OuterLayersOfTheDomain =
    [
        "Loupe.Application", "Loupe.Infrastructure", "Loupe.Api", "Loupe.Worker",
        "MediatR", "FluentValidation", "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.AspNetCore", "Microsoft.Extensions",
    ];

    public static readonly string[] OuterLayersOfTheApplication =
    [
        "Loupe.Infrastructure", "Loupe.Api", "Loupe.Worker",
        "Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "Microsoft.AspNetCore",
    ];

    public static readonly string[] OuterLayersOfTheInfrastructure = ["Loupe.Api", "Loupe.Worker", "Microsoft.AspNetCore"];

    /// <summary>No type in <paramref name="namespace"/> uses a type of the <paramref name="forbidden"/> namespaces.</summary>
    public static TypeRuleResult DependOnNone(Types types, string @namespace, params string[] forbidden) =>
        TypeRuleResult.Of(In(types, @namespace), s => s.ShouldNot().HaveDependencyOnAny(forbidden));

    /// <summary>
    /// The concrete classes that implement a MediatR handler interface themselves. A class that
    /// only inherits one from a base class is not among them (NetArchTest reads the interfaces a
    /// type declares); <c>TypeRuleGuardTests</c> checks no real handler is missed that way.
    /// </summary>
    public static PredicateList Handlers(Types types, string @namespace) =>
        Concrete(types, @namespace).And().ImplementInterface(typeof(IRequestHandler<,>))
            .Or().ResideInNamespace(@namespace).And().AreClasses().And().AreNotAbstract().And().ImplementInterface(typeof(INotificationHandler<>));

    public static TypeRuleResult HandlersAreInternalSealedAndNamed(Types types, string @namespace) =>
        TypeRuleResult.Of(
            Handlers(types, @namespace),
            s => s.Should().NotBePublic().And().BeSealed().And().HaveNameEndingWith("Handler", StringComparison.Ordinal));

    public static PredicateList Validators(Types types, string @namespace) =>
        Concrete(types, @namespace).And().Inherit(typeof(AbstractValidator<>));

    public static TypeRuleResult ValidatorsAreInternalSealedAndNamed(Types types, string @namespace) =>
        TypeRuleResult.Of(
            Validators(types, @namespace),
            s => s.Should().NotBePublic().And().BeSealed().And().HaveNameEndingWith("Validator", StringComparison.Ordinal));

    public static PredicateList Requests(Types types, string @namespace) =>
        Concrete(types, @namespace).And().ImplementInterface(typeof(IRequest<>));

    public static TypeRuleResult RequestsAreCommandsOrQueries(Types types, string @namespace) =>
        TypeRuleResult.Of(
            Requests(types, @namespace),
            s => s.Should().HaveNameEndingWith("Command", StringComparison.Ordinal).Or().HaveNameEndingWith("Query", StringComparison.Ordinal));

    /// <summary>A request says who may send it: <see cref="AuthorizeAttribute"/> or <see cref="AllowAnonymousAttribute"/>.</summary>
    public static TypeRuleResult RequestsDeclareWhoMaySendThem(Types types, string @namespace) =>
        TypeRuleResult.Of(
            Requests(types, @namespace),
            s => s.Should().HaveCustomAttribute(typeof(AuthorizeAttribute)).Or().HaveCustomAttribute(typeof(AllowAnonymousAttribute)));

    /// <summary>A request never carries both <see cref="AuthorizeAttribute"/> and <see cref="AllowAnonymousAttribute"/>.</summary>
    public static TypeRuleResult RequestsDoNotDeclareBoth(Types types, string @namespace) =>
        TypeRuleResult.Of(
            Requests(types, @namespace).And().HaveCustomAttribute(typeof(AuthorizeAttribute)),
            s => s.ShouldNot().HaveCustomAttribute(typeof(AllowAnonymousAttribute)));

    public static PredicateList Entities(Types types, string @namespace) =>
        types.That().ResideInNamespace(@namespace).And().Inherit(typeof(Entity));

    /// <summary>
    /// Entities change only through their methods. NetArchTest's "immutable" is exactly that: no
    /// public setter (an <c>init</c> one included) and no public writable field.
    /// </summary>
    public static TypeRuleResult EntitiesHaveNoPublicSetters(Types types, string @namespace) =>
        TypeRuleResult.Of(Entities(types, @namespace), s => s.Should().BeImmutable());

    /// <summary>An aggregate's named errors (<c>OrganizationErrors.NameRequired</c>) sit in a static class: values, never instances.</summary>
    public static TypeRuleResult ErrorCataloguesAreStatic(Types types, string @namespace) =>
        TypeRuleResult.Of(
            types.That().ResideInNamespace(@namespace).And().HaveNameEndingWith("Errors", StringComparison.Ordinal),
            s => s.Should().BeStatic());

    private static PredicateList In(Types types, string @namespace) => types.That().ResideInNamespace(@namespace);

    private static PredicateList Concrete(Types types, string @namespace) =>
        In(types, @namespace).And().AreClasses().And().AreNotAbstract();
}

/// <summary>What a NetArchTest rule looked at, and the types (by full name) that break it.</summary>
internal sealed record TypeRuleResult(IReadOnlyList<Type> Checked, IReadOnlyList<string> Failing)
{
    public static TypeRuleResult Of(PredicateList selection, Func<PredicateList, ConditionList> rule)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(rule);
        var result = rule(selection).GetResult();
        return new([.. selection.GetTypes()], result.IsSuccessful ? [] : [.. result.FailingTypeNames]);
    }

    /// <summary>
    /// The rule holds and looked at something: a rule over an empty selection (the wrong assembly,
    /// a renamed namespace) would pass forever.
    /// </summary>
    public void ShouldHold(string rule)
    {
        Checked.ShouldNotBeEmpty($"{rule} checked no type: it scans the wrong assembly or namespace");
        Failing.ShouldBeEmpty($"{rule} is broken by:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Failing));
    }
}
