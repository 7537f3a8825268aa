using FsCheck;
using FsCheck.Fluent;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Tests.Queries.Safety;

public sealed class SqlSafetyPropertyTests
{
    private static readonly string[] Separators =
    [
        " ", "   ", "\n", "\t\r\n", " /* x */ ", " -- x\n", " /* /* */ */ ", "/**/", " /* a /* b */ c */\n",
    ];

    // Texts whose whitespace is always between tokens: nothing quoted, no comment.
    private static readonly string[] WellFormed =
    [
        .. SqlCorpus.Malicious.Concat(SqlCorpus.Benign).Where(sql =>
            sql.Split(' ', '\n', '\t').Length > 1
            && sql.IndexOfAny(['\'', '"', '$']) < 0
            && !sql.Contains("--", StringComparison.Ordinal)
            && !sql.Contains("/*", StringComparison.Ordinal)),
    ];

    [Fact]
    public void TheScanner_NeverThrows_OnArbitraryText()
    {
        var tricky = Gen.Elements('\'', '"', '$', '-', '/', '*', ';', '\\', 'E', 'e', 'U', '&', '(', ')',
                '"', 'a', '1', '_', ' ', '\n', '+', '!', '\u00e9', '\ud83d', 'x', 'u')
            .ArrayOf()
            .Select(chars => new string(chars));

        Prop.ForAll(tricky.ToArbitrary(), sql => SqlSafety.Check(sql) is not null)
            .QuickCheckThrowOnFailure();
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), sql => SqlSafety.Check(sql) is not null)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TheScanner_NeverThrows_OnCorpusTextsCutOrSpliced()
    {
        var all = SqlCorpus.Malicious.Concat(SqlCorpus.Benign).ToArray();
        var cuts = Gen.Elements(all)
            .SelectMany(sql => Gen.Choose(0, sql.Length).Select(cut => sql[..cut] + all[cut % all.Length]));

        Prop.ForAll(cuts.ToArbitrary(), sql => SqlSafety.Check(sql) is not null)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AddingCommentsOrWhitespaceBetweenTokens_NeverChangesTheVerdict()
    {
        WellFormed.Length.ShouldBeGreaterThan(50);
        var respaced = Gen.Elements(WellFormed).SelectMany(sql =>
        {
            var words = sql.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return Gen.Elements(Separators).ArrayOf(words.Length + 1).Select(separators =>
                (Original: sql, Respaced: separators[0] + string.Concat(words.Select((word, i) => word + separators[i + 1]))));
        });

        Prop.ForAll(respaced.ToArbitrary(), pair =>
        {
            var before = SqlSafety.Check(pair.Original);
            var after = SqlSafety.Check(pair.Respaced);
            return before.IsAllowed == after.IsAllowed && before.Kind == after.Kind;
        }).QuickCheckThrowOnFailure();
    }
}
