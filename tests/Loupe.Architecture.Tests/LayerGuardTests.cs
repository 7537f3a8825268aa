using Loupe.Architecture.Tests.Analysis;

namespace Loupe.Architecture.Tests;

/// <summary>
/// The rules are only as good as the assemblies they look at: these make sure each layer is the
/// real project output, not an empty stand-in or a neighbour, so no rule passes by scanning nothing.
/// </summary>
public class LayerGuardTests
{
    [Fact]
    public void Domain_IsTheRealDomainAssembly()
    {
        Layers.Domain.GetName().Name.ShouldBe("Loupe.Domain");
        Layers.Domain.GetType("Loupe.Domain.Organizations.Organization").ShouldNotBeNull();
    }

    [Fact]
    public void Application_IsTheRealApplicationAssembly()
    {
        Layers.Application.GetName().Name.ShouldBe("Loupe.Application");
        Layers.Application.GetType("Loupe.Application.DependencyInjection").ShouldNotBeNull();
    }

    [Fact]
    public void Infrastructure_IsTheBuiltProjectNextToTheTests()
    {
        Layers.Infrastructure.GetName().Name.ShouldBe("Loupe.Infrastructure");
        Path.GetDirectoryName(Layers.Infrastructure.Location).ShouldBe(Path.GetDirectoryName(typeof(LayerGuardTests).Assembly.Location));
    }

    [Fact]
    public void Hosts_AreTheRealHostAssemblies()
    {
        Layers.Api.GetName().Name.ShouldBe("Loupe.Api");
        Layers.Api.GetReferencedAssemblies().ShouldContain(r => r.Name == "Microsoft.AspNetCore");
        Layers.Worker.GetName().Name.ShouldBe("Loupe.Worker");
        Layers.Worker.GetReferencedAssemblies().ShouldContain(r => r.Name == "Microsoft.Extensions.Hosting");
        Layers.Api.GetType("Program").ShouldNotBeNull();
        Layers.Worker.GetType("Program").ShouldNotBeNull();
    }

    [Fact]
    public void ProjectFiles_AreFoundUnderTheRepositoryRoot()
    {
        foreach (var project in new[] { "Loupe.Domain", "Loupe.Application", "Loupe.Infrastructure", "Loupe.Api", "Loupe.Worker" })
        {
            File.Exists(Layers.ProjectFile(project)).ShouldBeTrue(Layers.ProjectFile(project));
        }
    }

    [Fact]
    public void DomainConventionRules_HaveSomethingToCheck()
    {
        var domainTypes = Layers.Domain.GetTypes();
        domainTypes.ShouldContain(t => t.Name == "OrganizationCreated" && typeof(Loupe.Domain.Common.IDomainEvent).IsAssignableFrom(t));
        domainTypes.ShouldContain(t => t.Name == "Organization" && t.IsSubclassOf(typeof(Loupe.Domain.Common.Entity)));
    }

    [Fact]
    public void Analyzer_ResolvesEveryTokenInTheLayers()
    {
        var types = new[] { Layers.Domain, Layers.Application, Layers.Infrastructure, Layers.Api, Layers.Worker }
            .SelectMany(TypeDependencies.ScannableTypes);

        Rules.DependencyRules.ResolveCompletely(types).ShouldBeNone("Every metadata token resolves");
    }
}
