using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>
/// The conventions that stay on our reflection (ADR 0039), checked on the real layers; the naming and
/// visibility rules NetArchTest states are in <see cref="TypeRuleTests"/>.
/// </summary>
public class ConventionTests
{
    [Fact]
    public void DomainEvents_AreSealedAndImmutable() =>
        ConventionRules.DomainEventsAreSealedAndImmutable(Layers.Domain.GetTypes())
            .ShouldBeNone("Domain events are sealed and immutable");

    [Fact]
    public void ApplicationTypes_LiveInFeatureFolders() =>
        ConventionRules.TypesLiveInFeatureFolders(Layers.Application.GetTypes(), "Loupe.Application")
            .ShouldBeNone("Application types live in feature or use-case folders");
}
