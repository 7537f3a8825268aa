using System.Reflection;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Loupe.Infrastructure.Tests.Migrations;

/// <summary>The SQL files, the embedded resources and the migration classes must describe the same list.</summary>
public sealed class MigrationCatalogTests
{
    [Fact]
    public void EverySqlFileInTheRepository_IsEmbedded()
    {
        var folder = Path.Combine(Repository.Root, "migrations");
        var onDisk = Directory.GetFiles(folder, "*.sql")
            .Select(Path.GetFileName)
            .Select(f => f![..f!.IndexOf('.', StringComparison.Ordinal)])
            .Distinct()
            .Order(StringComparer.Ordinal);

        onDisk.ShouldBe(MigrationScript.All.Select(s => s.FileStem));
    }

    [Fact]
    public void EveryScriptPair_HasExactlyOneMigrationClass_AndEveryClassHasItsScripts()
    {
        var classIds = typeof(LoupeDbContext).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract)
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
            .Order(StringComparer.Ordinal)
            .ToList();

        classIds.ShouldBe(MigrationScript.All.Select(s => (string?)s.Id));
    }

    [Fact]
    public void Numbers_AreContiguousFromOne()
    {
        MigrationScript.All.Select(s => s.Number).ShouldBe(Enumerable.Range(1, MigrationScript.All.Count));
    }

    [Fact]
    public void Checksum_ChangesWhenEitherScriptChanges()
    {
        var script = MigrationScript.All[0];

        (script with { Up = script.Up + " " + "-- edited" }).Checksum.ShouldNotBe(script.Checksum);
        (script with { Down = "SELECT 1;" }).Checksum.ShouldNotBe(script.Checksum);
        (script with { Up = script.Up.Replace("\n", "\r\n", StringComparison.Ordinal) }).Checksum.ShouldBe(script.Checksum);
    }

    [Fact]
    public async Task Cli_WithUnknownArguments_PrintsUsageAndFails()
    {
        using var output = new StringWriter();

        var exitCode = await MigrationCli.RunAsync(["sideways"], null!, output, TestContext.Current.CancellationToken);

        exitCode.ShouldBe(2);
        output.ToString().ShouldContain(MigrationCli.Usage);
    }
}
