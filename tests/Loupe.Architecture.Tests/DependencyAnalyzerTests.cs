using System.ComponentModel;
using System.Text;
using Loupe.Architecture.Tests.Analysis;
using Loupe.Architecture.Tests.Samples.Analyzer;

namespace Loupe.Architecture.Tests;

/// <summary>The analyzer the rules stand on sees every kind of dependency, or the rules see nothing.</summary>
public class DependencyAnalyzerTests
{
    private static readonly TypeDependencies Subject = TypeDependencies.Of(typeof(AnalyzerSubject));

    [Theory]
    [InlineData(typeof(EventArgs), "base type")]
    [InlineData(typeof(IProgress<>), "interface, as its generic definition")]
    [InlineData(typeof(Version), "generic argument of an interface")]
    [InlineData(typeof(GuidConverter), "typeof argument of an attribute")]
    [InlineData(typeof(TypeConverterAttribute), "attribute")]
    [InlineData(typeof(Dictionary<,>), "field type")]
    [InlineData(typeof(TimeZoneInfo), "generic argument of a field type")]
    [InlineData(typeof(Console), "method called in a body")]
    [InlineData(typeof(StringBuilder), "constructor called in a lambda")]
    [InlineData(typeof(IFormattable), "generic constraint")]
    [InlineData(typeof(EqualityComparer<>), "generic type used in a generic method")]
    [InlineData(typeof(FormatException), "catch clause")]
    [InlineData(typeof(Path), "static call in a catch block")]
    public void Analyzer_FindsTheDependency(Type expected, string where) =>
        Subject.Types.Keys.ShouldContain(expected, $"{expected.Name} as {where}");

    [Fact]
    public void Analyzer_SaysWhereADependencyWasSeen() =>
        Subject.Types[typeof(StringBuilder)].ShouldStartWith("code of");

    [Fact]
    public void Analyzer_CollectsLiteralsFromAsyncStateMachinesAndConstants()
    {
        Subject.Strings.ShouldContain("literal in an async method");
        Subject.Strings.ShouldContain(AnalyzerSubject.Marker);
    }

    [Fact]
    public void Analyzer_ResolvesEveryToken() => Subject.Unresolved.ShouldBeEmpty();

    [Fact]
    public void ScannableTypes_FoldsCompilerGeneratedTypesIntoTheirOwner()
    {
        var scannable = TypeDependencies.ScannableTypes(typeof(AnalyzerSubject).Assembly);

        scannable.ShouldContain(typeof(AnalyzerSubject));
        scannable.ShouldNotContain(t => t.DeclaringType == typeof(AnalyzerSubject));
        typeof(AnalyzerSubject).GetNestedTypes(System.Reflection.BindingFlags.NonPublic).ShouldNotBeEmpty();
    }
}
