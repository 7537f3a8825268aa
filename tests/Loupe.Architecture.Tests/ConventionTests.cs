using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>Naming, visibility and immutability conventions (STYLE.md), checked on the real layers.</summary>
public class ConventionTests
{
    [Fact]
    public void Handlers_AreInternalSealedAndNamedHandler() =>
        ConventionRules.HandlersAreInternalSealedAndNamed(Layers.Application.GetTypes())
            .ShouldBeNone("Handlers are internal sealed ...Handler");

    [Fact]
    public void Requests_AreCommandsOrQueriesThatDeclareWhoMaySendThem() =>
        ConventionRules.RequestsAreNamedAndDeclareAccess(Layers.Application.GetTypes())
            .ShouldBeNone("Requests are ...Command/...Query with exactly one of [Authorize]/[AllowAnonymous]");

    [Fact]
    public void Validators_AreInternalSealedAndNamedValidator() =>
        ConventionRules.ValidatorsAreInternalSealedAndNamed(Layers.Application.GetTypes())
            .ShouldBeNone("Validators are internal sealed ...Validator");

    [Fact]
    public void DomainEvents_AreSealedAndImmutable() =>
        ConventionRules.DomainEventsAreSealedAndImmutable(Layers.Domain.GetTypes())
            .ShouldBeNone("Domain events are sealed and immutable");

    [Fact]
    public void Entities_HaveNoPublicSetters() =>
        ConventionRules.EntitiesHaveNoPublicSetters(Layers.Domain.GetTypes())
            .ShouldBeNone("Entities have no public setters");

    [Fact]
    public void ApplicationTypes_LiveInFeatureFolders() =>
        ConventionRules.TypesLiveInFeatureFolders(Layers.Application.GetTypes(), "Loupe.Application")
            .ShouldBeNone("Application types live in feature or use-case folders");
}
