using System.Text.RegularExpressions;
using Loupe.Architecture.Tests.Analysis;

namespace Loupe.Architecture.Tests;

/// <summary>
/// The index of the decision records (docs/adr/README.md) lists every record once, under its own number,
/// and links only to records that exist: a merge that repeats or drops a row is caught here.
/// </summary>
public partial class AdrIndexTests
{
    private static readonly string Folder = Path.Combine(Layers.RepositoryRoot, "docs", "adr");

    [Fact]
    public void EveryRecord_HasExactlyOneRow_UnderItsNumber_LinkingToItsFile()
    {
        var records = Directory.GetFiles(Folder, "*.md").Select(Path.GetFileName).Where(name => RecordRegex().IsMatch(name!)).Order(StringComparer.Ordinal).ToList();
        var rows = RowRegex().Matches(File.ReadAllText(Path.Combine(Folder, "README.md")))
            .Select(row => (Number: row.Groups[1].Value, File: row.Groups[2].Value))
            .ToList();

        rows.GroupBy(row => row.Number).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("numbers with more than one row");
        rows.Where(row => !row.File.StartsWith(row.Number + "-", StringComparison.Ordinal)).ShouldBeEmpty("rows whose link is another record's");
        string.Join("\n", rows.Select(row => row.File).Order(StringComparer.Ordinal)).ShouldBe(string.Join("\n", records), "the rows' links and the records in the folder");
    }

    [GeneratedRegex(@"^\d{4}-[a-z0-9-]+\.md$")]
    private static partial Regex RecordRegex();

    [GeneratedRegex(@"^\| (\d{4}) \| \[.*?\]\(([^)]+\.md)\)", RegexOptions.Multiline)]
    private static partial Regex RowRegex();
}
