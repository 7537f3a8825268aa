using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;
using Loupe.Architecture.Tests.Samples.NetArchTestLimits;
using MediatR;
using NetArchTest.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>
/// What NetArchTest 1.3.2 reads differently from what our rules mean, shown on the samples in
/// Samples/NetArchTestLimits.cs (ADR 0039). Each is why a rule stayed ours or has a guard; if an
/// upgrade changes one of these, the test fails and the choice can be made again.
/// </summary>
public class NetArchTestLimitTests
{
    private const string Samples = "Loupe.Architecture.Tests.Samples.NetArchTestLimits";

    /// <summary>So the hosts' data-access rule stays on our IL analyzer, which reads exception tables.</summary>
    [Fact]
    public void NetArchTest_DoesNotSeeATypeUsedOnlyInACatchClause()
    {
        var result = TypeRules.DependOnNone(SampleTypes(), Samples, "Microsoft.EntityFrameworkCore");

        result.Checked.ShouldContain(typeof(CatchesEfCoreOnly));
        result.Failing.ShouldBeEmpty();

        DependencyRules.DependOnNoNamespace([typeof(CatchesEfCoreOnly)], "Microsoft.EntityFrameworkCore")
            .ShouldContain(v => v.Contains("Microsoft.EntityFrameworkCore.DbUpdateException", StringComparison.Ordinal));
    }

    /// <summary>So the domain-event rule stays ours: a positional record's <c>init</c> counts as mutable there.</summary>
    [Fact]
    public void NetArchTest_CallsARecordWithInitPropertiesMutable()
    {
        SampleTypes().That().ResideInNamespace(Samples).And().HaveName(nameof(GadgetShipped)).Should().BeImmutable().GetResult()
            .FailingTypeNames.ShouldBe([typeof(GadgetShipped).FullName!]);

        ConventionRules.DomainEventsAreSealedAndImmutable([typeof(GadgetShipped)]).ShouldBeEmpty();
    }

    /// <summary>So TypeRuleGuardTests compares the handler selection with the handlers reflection finds.</summary>
    [Fact]
    public void NetArchTest_DoesNotSelectAClassThatInheritsItsHandlerInterface()
    {
        TypeRules.Handlers(SampleTypes(), Samples).GetTypes().ShouldNotContain(typeof(InheritedGadgetHandler));

        typeof(InheritedGadgetHandler).GetInterfaces().ShouldContain(typeof(IRequestHandler<ShipGadgetCommand, Unit>));
    }

    /// <summary>
    /// A generic handler would need the rule changed: NetArchTest compares names with their arity
    /// suffix. (The public, open InheritedGadgetHandler is not reported: it is not selected at all.)
    /// </summary>
    [Fact]
    public void NetArchTest_ComparesAGenericTypesNameWithItsAritySuffix() =>
        TypeRules.HandlersAreInternalSealedAndNamed(SampleTypes(), Samples)
            .Failing.ShouldBe([typeof(GenericGadgetHandler<>).FullName!]);

    private static Types SampleTypes() => LayerTypes.Of(typeof(NetArchTestLimitTests).Assembly);
}
