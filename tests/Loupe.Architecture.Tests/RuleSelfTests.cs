using System.Reflection;
using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;
using Loupe.Architecture.Tests.Samples.Domain;
using Loupe.Architecture.Tests.Samples.Hosts;

namespace Loupe.Architecture.Tests;

/// <summary>
/// Each rule, run over something that breaks it, reports the break, and spares what does not.
/// Without these a rule that can never fail would look exactly like a rule that holds.
/// </summary>
public class RuleSelfTests
{
    private static readonly Assembly TestAssembly = typeof(RuleSelfTests).Assembly;

    [Fact]
    public void Rule_FailsWhenDomainReferencesAPackage() =>
        AssemblyRules.ReferencesOnlyFrameworkAnd(TestAssembly)
            .ShouldContain(v => v.Contains("references xunit.v3", StringComparison.Ordinal));

    [Fact]
    public void Rule_FrameworkNeedsBothTheNameAndTheMicrosoftKey()
    {
        AssemblyRules.IsFrameworkAssembly(typeof(object).Assembly.GetName()).ShouldBeTrue();
        AssemblyRules.IsFrameworkAssembly(new AssemblyName("System.Reactive")).ShouldBeFalse();
        AssemblyRules.IsFrameworkAssembly(typeof(MediatR.IMediator).Assembly.GetName()).ShouldBeFalse();
    }

    [Fact]
    public void Rule_FailsWhenDomainProjectDeclaresAReference() =>
        AssemblyRules.ProjectDeclaresNoReferences(Layers.ProjectFile("Loupe.Application"))
            .ShouldBe(
            [
                "Loupe.Application.csproj declares ProjectReference Loupe.Domain",
                "Loupe.Application.csproj declares PackageReference MediatR",
                "Loupe.Application.csproj declares PackageReference FluentValidation",
                "Loupe.Application.csproj declares PackageReference FluentValidation.DependencyInjectionExtensions",
                "Loupe.Application.csproj declares PackageReference Ardalis.Specification",
                "Loupe.Application.csproj declares PackageReference Mapster",
                "Loupe.Application.csproj declares PackageReference Microsoft.Extensions.Logging.Abstractions",
                "Loupe.Application.csproj declares PackageReference Microsoft.Extensions.DependencyInjection.Abstractions",
            ],
            ignoreOrder: true);

    [Fact]
    public void Rule_FailsWhenApplicationReferencesAnUnlistedAssembly()
    {
        var violations = AssemblyRules.ReferencesOnlyFrameworkAnd(Layers.Application, "Loupe.Domain", "MediatR");

        violations.ShouldContain(v => v.Contains("references FluentValidation", StringComparison.Ordinal));
        violations.ShouldNotContain(v => v.Contains("references MediatR", StringComparison.Ordinal));
    }

    [Fact]
    public void Rule_FailsWhenApplicationProjectDeclaresAnUnlistedPackage() =>
        AssemblyRules.ProjectDeclaresOnly(Layers.ProjectFile("Loupe.Infrastructure"), "Loupe.Application")
            .ShouldContain("Loupe.Infrastructure.csproj declares PackageReference Microsoft.EntityFrameworkCore");

    [Fact]
    public void Rule_FailsWhenAnAssemblyReferencesAspNetCore() =>
        AssemblyRules.ReferencesNone(Layers.Api, "Loupe.Api", "Loupe.Worker", "Microsoft.AspNetCore", "Microsoft.AspNetCore.*")
            .ShouldContain(v => v.Contains("references Microsoft.AspNetCore.Routing", StringComparison.Ordinal));

    [Fact]
    public void Rule_FailsWhenAProjectDeclaresAHostOrTheWebSdk()
    {
        var testProject = Path.Combine(Layers.RepositoryRoot, "tests", "Loupe.Architecture.Tests", "Loupe.Architecture.Tests.csproj");

        AssemblyRules.ProjectDeclaresNone(testProject, "Loupe.Api", "Loupe.Worker")
            .ShouldBe(
                ["Loupe.Architecture.Tests.csproj declares ProjectReference Loupe.Api", "Loupe.Architecture.Tests.csproj declares ProjectReference Loupe.Worker"],
                ignoreOrder: true);
        AssemblyRules.ProjectDeclaresNone(Layers.ProjectFile("Loupe.Api"), "Microsoft.AspNetCore.*")
            .ShouldContain("Loupe.Api.csproj declares Sdk Microsoft.AspNetCore.App");
    }

    [Fact]
    public void Rule_FailsWhenAHostNewsUpADbContextInALambda() =>
        DependencyRules.DependOnNoNamespace([typeof(ReportsEndpoint)], "Microsoft.EntityFrameworkCore")
            .ShouldContain(v => v.StartsWith(
                $"{typeof(ReportsEndpoint).FullName} depends on Microsoft.EntityFrameworkCore.DbContext",
                StringComparison.Ordinal));

    [Fact]
    public void Rule_FailsWhenAHostUsesSystemData()
    {
        var violations = DependencyRules.DependOnNoNamespace([typeof(ExportJob), typeof(ProseEndpoint)], "System.Data");

        violations.ShouldNotBeEmpty();
        violations.ShouldAllBe(v => v.StartsWith(typeof(ExportJob).FullName + " depends on System.Data.IsolationLevel", StringComparison.Ordinal));
    }

    [Fact]
    public void Rule_FailsWhenAHostHoldsSql()
    {
        var violations = DependencyRules.HoldNoSql([typeof(DashboardsEndpoint), typeof(SchemaEndpoint), typeof(ProseEndpoint)]);

        violations.ShouldContain(v => v.StartsWith(typeof(DashboardsEndpoint).FullName + " holds SQL", StringComparison.Ordinal));
        violations.ShouldContain(v => v.StartsWith(typeof(SchemaEndpoint).FullName + " holds SQL", StringComparison.Ordinal));
        violations.ShouldNotContain(v => v.Contains(nameof(ProseEndpoint), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SELECT * FROM runs")]
    [InlineData("select count(*)\nfrom \"dashboards\" d")]
    [InlineData("insert into users (id) values (@id)")]
    [InlineData("UPDATE runs SET state = 'done' WHERE id = @id")]
    [InlineData("delete from sessions where expires_at < now()")]
    [InlineData("CREATE TABLE t (id uuid)")]
    [InlineData("drop index ix_runs_state")]
    public void Rule_RecognisesSql(string literal) => DependencyRules.LooksLikeSql(literal).ShouldBeTrue();

    [Theory]
    [InlineData("Update the title")]
    [InlineData("Deleted dashboards stay in the bin.")]
    [InlineData("The selected tile was removed")]
    [InlineData("/api/v1/dashboards")]
    public void Rule_LeavesProseAlone(string literal) => DependencyRules.LooksLikeSql(literal).ShouldBeFalse();

    [Fact]
    public void Rule_FailsWhenADomainEventIsOpenOrMutable() =>
        ConventionRules.DomainEventsAreSealedAndImmutable(TypesIn(typeof(ThingRenamed).Namespace!))
            .ShouldBe(
            [
                $"domain event {typeof(ThingRenamed).FullName} is not sealed",
                $"domain event {typeof(ThingRenamed).FullName} has a setter on OccurredAt that is public, not init or private",
                $"domain event {typeof(ThingRenamed).FullName} has a setter on Name that is internal, not init or private",
                $"domain event {typeof(ThingRenamed).FullName} has a writable field PreviousName",
            ],
            ignoreOrder: true);

    [Fact]
    public void Rule_FailsWhenATypeLivesOutsideAFeatureFolder()
    {
        const string root = "Loupe.Architecture.Tests.Samples.FeatureFolders";

        var violations = ConventionRules.TypesLiveInFeatureFolders([.. TypesIn(root), typeof(RuleSelfTests)], root);

        violations.Select(v => v.Split(' ')[0]).ShouldBe(
            [
                root + ".Dashboards.Handlers.MisplacedHandlerSample",
                root + ".Dashboards.Commands.LooseCommandSample",
                root + ".Commands.DoThing.FeaturelessCommandSample",
                typeof(RuleSelfTests).FullName!,
            ],
            ignoreOrder: true);
    }

    /// <summary>The sample types of one namespace and the namespaces below it.</summary>
    private static Type[] TypesIn(string @namespace) =>
    [
        .. TypeDependencies.ScannableTypes(TestAssembly)
            .Where(t => t.Namespace == @namespace || (t.Namespace?.StartsWith(@namespace + ".", StringComparison.Ordinal) ?? false)),
    ];
}
