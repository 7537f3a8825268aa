using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Rules;

namespace Loupe.Architecture.Tests;

/// <summary>
/// Hangfire is in the repository only as the job engine's baseline in <c>bench/</c> (ADR 0021, amended
/// 2026-12-06): nothing Loupe ships declares it or references it.
/// </summary>
public class BenchmarkOnlyPackageTests
{
    private static readonly string[] BenchmarkOnly = ["Hangfire", "Hangfire.*"];

    /// <summary>The repository-wide MSBuild files every project imports.</summary>
    private static readonly string[] RepositoryBuildFiles = ["Directory.Build.props", "Directory.Build.targets"];

    [Fact]
    public void SourceProjects_DoNotDeclareHangfire() =>
        ShippedMsBuildFiles().SelectMany(file => AssemblyRules.ProjectDeclaresNone(file, BenchmarkOnly)).ToList()
            .ShouldBeNone("No project under src, and no Directory.Build file they import, declares Hangfire");

    [Fact]
    public void ShippedAssemblies_DoNotReferenceHangfire() =>
        new[] { Layers.Domain, Layers.Application, Layers.Infrastructure, Layers.Api, Layers.Worker }
            .SelectMany(assembly => AssemblyRules.ReferencesNone(assembly, BenchmarkOnly)).ToList()
            .ShouldBeNone("No assembly Loupe ships references Hangfire");

    [Fact]
    public void Rule_FailsWhenAProjectDeclaresHangfire() =>
        AssemblyRules.ProjectDeclaresNone(Path.Combine(Layers.RepositoryRoot, "bench", "Loupe.Benchmarks", "Loupe.Benchmarks.csproj"), BenchmarkOnly)
            .ShouldBe(
                ["Loupe.Benchmarks.csproj declares PackageReference Hangfire.Core", "Loupe.Benchmarks.csproj declares PackageReference Hangfire.PostgreSql"],
                ignoreOrder: true);

    [Fact]
    public void ShippedMsBuildFiles_AreEveryProjectUnderSource() =>
        ShippedMsBuildFiles().Where(f => f.EndsWith(".csproj", StringComparison.Ordinal)).Select(f => Path.GetFileNameWithoutExtension(f))
            .ShouldBe(["Loupe.Api", "Loupe.Application", "Loupe.Domain", "Loupe.Infrastructure", "Loupe.Worker"], ignoreOrder: true);

    /// <summary>Every project under src, and the Directory.Build files above or beside them that MSBuild imports into them.</summary>
    private static List<string> ShippedMsBuildFiles()
    {
        var source = Path.Combine(Layers.RepositoryRoot, "src");
        return
        [
            .. Directory.EnumerateFiles(source, "*.csproj", SearchOption.AllDirectories),
            .. Directory.EnumerateFiles(source, "Directory.Build.*", SearchOption.AllDirectories),
            .. RepositoryBuildFiles
                .Select(name => Path.Combine(Layers.RepositoryRoot, name))
                .Where(File.Exists),
        ];
    }
}
