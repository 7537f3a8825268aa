using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;
using NetArchTest.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>
/// Each NetArchTest rule, run over the samples of its namespace (Samples/TypeRuleSamples.cs),
/// reports exactly the types that break it and checks the ones that keep it. A rule that could
/// never fail would otherwise look exactly like a rule that holds.
/// </summary>
public class TypeRuleSelfTests
{
    private const string Samples = "Loupe.Architecture.Tests.Samples.TypeRules";

    [Fact]
    public void DomainRule_FailsOnEveryOuterLayerAndPackage() =>
        TypeRules.DependOnNone(SampleTypes(), Samples + ".Layers", TypeRules.OuterLayersOfTheDomain)
            .ShouldReport("UsesEfCore", "UsesEfCoreInALambda", "UsesNpgsql", "UsesAspNetCore", "UsesApplication", "UsesInfrastructure", "UsesMediatR");

    [Fact]
    public void ApplicationRule_FailsOnInfrastructureAndDataAccessButNotOnTheDomainsNeighbours() =>
        TypeRules.DependOnNone(SampleTypes(), Samples + ".Layers", TypeRules.OuterLayersOfTheApplication)
            .ShouldReport("UsesEfCore", "UsesEfCoreInALambda", "UsesNpgsql", "UsesAspNetCore", "UsesInfrastructure");

    [Fact]
    public void InfrastructureRule_FailsOnAspNetCoreOnly() =>
        TypeRules.DependOnNone(SampleTypes(), Samples + ".Layers", TypeRules.OuterLayersOfTheInfrastructure)
            .ShouldReport("UsesAspNetCore");

    [Fact]
    public void HandlerRule_FailsWhenAHandlerIsPublicOpenOrMisnamed()
    {
        var result = TypeRules.HandlersAreInternalSealedAndNamed(SampleTypes(), Samples + ".Handlers");

        result.ShouldReport("PublicThingHandler", "OpenThingHandler", "ThingHappenedReaction");
        result.Checked.Select(t => t.Name).ShouldBe(
            ["PublicThingHandler", "OpenThingHandler", "ThingHappenedReaction", "GoodThingHandler", "ThingHappenedHandler"],
            ignoreOrder: true);
    }

    [Fact]
    public void ValidatorRule_FailsWhenAValidatorIsPublicOpenOrMisnamed_EvenThroughABaseClass()
    {
        var result = TypeRules.ValidatorsAreInternalSealedAndNamed(SampleTypes(), Samples + ".Validators");

        result.ShouldReport("PublicThingValidator", "OpenThingValidator", "ThingInputRules", "IndirectThingRules");
        result.Checked.ShouldContain(t => t.Name == "ThingInputValidator");
    }

    [Fact]
    public void RequestNameRule_FailsWhenARequestIsNeitherCommandNorQuery() =>
        TypeRules.RequestsAreCommandsOrQueries(SampleTypes(), Samples + ".Requests")
            .ShouldReport("DoStuff");

    [Fact]
    public void RequestAccessRule_FailsWhenARequestSaysNothingAboutWhoMaySendIt() =>
        TypeRules.RequestsDeclareWhoMaySendThem(SampleTypes(), Samples + ".Requests")
            .ShouldReport("RenameThingCommand");

    [Fact]
    public void RequestAccessRule_FailsWhenARequestSaysBoth() =>
        TypeRules.RequestsDoNotDeclareBoth(SampleTypes(), Samples + ".Requests")
            .ShouldReport("ArchiveThingCommand");

    [Fact]
    public void EntityRule_FailsOnAPublicSetterAPublicInitAndAPublicField()
    {
        var result = TypeRules.EntitiesHaveNoPublicSetters(SampleTypes(), Samples + ".Entities");

        result.ShouldReport("Gadget", "Sprocket", "Cog");
        result.Checked.ShouldContain(t => t.Name == "Widget");
    }

    [Fact]
    public void ErrorCatalogueRule_FailsOnAnInstantiableCatalogue() =>
        TypeRules.ErrorCataloguesAreStatic(SampleTypes(), Samples + ".Errors")
            .ShouldReport("GadgetErrors");

    [Fact]
    public void ShouldHold_FailsWhenTheRuleCheckedNothing()
    {
        var nothing = TypeRules.HandlersAreInternalSealedAndNamed(SampleTypes(), "Loupe.NoSuchNamespace");

        nothing.Failing.ShouldBeEmpty();
        Should.Throw<ShouldAssertException>(() => nothing.ShouldHold("Handlers in a namespace that does not exist"))
            .Message.ShouldContain("checked no type");
    }

    private static Types SampleTypes() => LayerTypes.Of(typeof(TypeRuleSelfTests).Assembly);
}

internal static class TypeRuleResultAssertions
{
    /// <summary>The rule checked the namespace's types and failed on exactly these (simple names), and no other.</summary>
    public static void ShouldReport(this TypeRuleResult result, params string[] failingNames)
    {
        result.Checked.Count.ShouldBeGreaterThan(failingNames.Length, "the samples hold a type that keeps the rule, too");
        result.Failing.Select(name => name[(name.LastIndexOf('.') + 1)..]).ShouldBe(failingNames, ignoreOrder: true);
    }
}
