using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>The dependency rule of ADR 0002, checked on the compiled layers and their project files.</summary>
public class LayerTests
{
    private static readonly string[] ApplicationPackages =
    [
        "MediatR",
        "FluentValidation",
        "FluentValidation.DependencyInjectionExtensions",
        "Ardalis.Specification",
        "Mapster",
        "Mapster.Core",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    ];

    private static readonly string[] HostsAndWeb =
        ["Loupe.Api", "Loupe.Worker", "Microsoft.AspNetCore", "Microsoft.AspNetCore.*"];

    private static readonly string[] DataAccessNamespaces = ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCL", "System.Data"];

    [Fact]
    public void Domain_DependsOnNothing() =>
        AssemblyRules.ReferencesOnlyFrameworkAnd(Layers.Domain)
            .ShouldBeNone("Domain references only the framework");

    [Fact]
    public void Domain_ProjectDeclaresNoReferences() =>
        AssemblyRules.ProjectDeclaresNoReferences(Layers.ProjectFile("Loupe.Domain"))
            .ShouldBeNone("Loupe.Domain.csproj declares no project or package");

    [Fact]
    public void Application_DependsOnlyOnDomainAndItsPackages() =>
        AssemblyRules.ReferencesOnlyFrameworkAnd(Layers.Application, ["Loupe.Domain", .. ApplicationPackages])
            .ShouldBeNone("Application references only Domain, its packages and the framework");

    [Fact]
    public void Application_ProjectDeclaresOnlyDomainAndItsPackages() =>
        AssemblyRules.ProjectDeclaresOnly(Layers.ProjectFile("Loupe.Application"), ["Loupe.Domain", .. ApplicationPackages])
            .ShouldBeNone("Loupe.Application.csproj declares only Domain and its packages");

    [Fact]
    public void Infrastructure_DoesNotDependOnHostsOrAspNetCore() =>
        AssemblyRules.ReferencesNone(Layers.Infrastructure, HostsAndWeb)
            .ShouldBeNone("Infrastructure references no host and no ASP.NET Core");

    [Fact]
    public void Infrastructure_ProjectDoesNotDeclareHostsOrAspNetCore() =>
        AssemblyRules.ProjectDeclaresNone(Layers.ProjectFile("Loupe.Infrastructure"), HostsAndWeb)
            .ShouldBeNone("Loupe.Infrastructure.csproj declares no host and no ASP.NET Core");

    [Fact]
    public void Hosts_DoNotUseDataAccessTypes() =>
        DependencyRules.DependOnNoNamespace(HostTypes(), DataAccessNamespaces)
            .ShouldBeNone("Hosts reach the database only through Infrastructure");

    [Fact]
    public void Hosts_HoldNoSql() =>
        DependencyRules.HoldNoSql(HostTypes())
            .ShouldBeNone("Hosts hold no SQL");

    private static IEnumerable<Type> HostTypes() =>
        TypeDependencies.ScannableTypes(Layers.Api).Concat(TypeDependencies.ScannableTypes(Layers.Worker));
}
