using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>The layer and naming rules stated with NetArchTest (ADR 0039), checked on the real layers.</summary>
public class TypeRuleTests
{
    [Fact]
    public void Domain_UsesNoTypeOfAnOuterLayerOrPackage() =>
        TypeRules.DependOnNone(LayerTypes.Of(Layers.Domain), "Loupe.Domain", TypeRules.OuterLayersOfTheDomain)
            .ShouldHold("Domain types use nothing of Application, Infrastructure, the hosts or their packages");

    [Fact]
    public void Application_UsesNoTypeOfInfrastructureHostsOrDataAccess() =>
        TypeRules.DependOnNone(LayerTypes.Of(Layers.Application), "Loupe.Application", TypeRules.OuterLayersOfTheApplication)
            .ShouldHold("Application types use nothing of Infrastructure, the hosts, EF Core, Npgsql or ASP.NET Core");

    [Fact]
    public void Infrastructure_UsesNoTypeOfTheHostsOrAspNetCore() =>
        TypeRules.DependOnNone(LayerTypes.Of(Layers.Infrastructure), "Loupe.Infrastructure", TypeRules.OuterLayersOfTheInfrastructure)
            .ShouldHold("Infrastructure types use nothing of the hosts or ASP.NET Core");

    [Fact]
    public void Handlers_AreInternalSealedAndNamedHandler() =>
        TypeRules.HandlersAreInternalSealedAndNamed(LayerTypes.Of(Layers.Application), "Loupe.Application")
            .ShouldHold("Handlers are internal sealed ...Handler");

    [Fact]
    public void Validators_AreInternalSealedAndNamedValidator() =>
        TypeRules.ValidatorsAreInternalSealedAndNamed(LayerTypes.Of(Layers.Application), "Loupe.Application")
            .ShouldHold("Validators are internal sealed ...Validator");

    [Fact]
    public void Requests_AreCommandsOrQueries() =>
        TypeRules.RequestsAreCommandsOrQueries(LayerTypes.Of(Layers.Application), "Loupe.Application")
            .ShouldHold("Requests are named ...Command or ...Query");

    [Fact]
    public void Requests_DeclareWhoMaySendThem() =>
        TypeRules.RequestsDeclareWhoMaySendThem(LayerTypes.Of(Layers.Application), "Loupe.Application")
            .ShouldHold("Requests carry [Authorize] or [AllowAnonymous]");

    [Fact]
    public void Requests_DoNotDeclareBothAuthorizeAndAllowAnonymous() =>
        TypeRules.RequestsDoNotDeclareBoth(LayerTypes.Of(Layers.Application), "Loupe.Application")
            .ShouldHold("Requests carry [Authorize] and [AllowAnonymous] never both");

    [Fact]
    public void Entities_HaveNoPublicSetters() =>
        TypeRules.EntitiesHaveNoPublicSetters(LayerTypes.Of(Layers.Domain), "Loupe.Domain")
            .ShouldHold("Entities have no public setters");

    [Fact]
    public void DomainErrorCatalogues_AreStatic() =>
        TypeRules.ErrorCataloguesAreStatic(LayerTypes.Of(Layers.Domain), "Loupe.Domain")
            .ShouldHold("The domain's ...Errors classes are static");
}
