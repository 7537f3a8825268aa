using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
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

    [Property]
    public Property TheScanner_NeverThrows_OnArbitraryText()
    {
        var tricky = Gen.Elements('\'', '"', '$', '-', '/', '*', ';', '\\', 'E', 'e', 'U', '&', '(', ')',
                '"', 'a', '1', '_', ' ', '\n', '+', '!', '\u00e9', '\ud83d', 'x', 'u')
            .ArrayOf()
            .Select(chars => new string(chars));

        return Prop.ForAll(tricky.ToArbitrary(), sql => SqlSafety.Check(sql) is not null)
            .And(Prop.ForAll(ArbMap.Default.ArbFor<string>(), sql => SqlSafety.Check(sql) is not null));
    }

    [Property]
    public Property TheScanner_NeverThrows_OnCorpusTextsCutOrSpliced()
    {
        var all = SqlCorpus.Malicious.Concat(SqlCorpus.Benign).ToArray();
        var cuts = Gen.Elements(all)
            .SelectMany(sql => Gen.Choose(0, sql.Length).Select(cut => sql[..cut] + all[cut % all.Length]));

        return Prop.ForAll(cuts.ToArbitrary(), sql => SqlSafety.Check(sql) is not null);
    }

    [Property]
    public Property AddingCommentsOrWhitespaceBetweenTokens_NeverChangesTheVerdict()
    {
        WellFormed.Length.ShouldBeGreaterThan(50);
        var respaced = Gen.Elements(WellFormed).SelectMany(sql =>
        {
            var words = sql.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return Gen.Elements(Separators).ArrayOf(words.Length + 1).Select(separators =>
                (Original: sql, Respaced: separators[0] + string.Concat(words.Select((word, i) => word + separators[i + 1]))));
        });

        return Prop.ForAll(respaced.ToArbitrary(), pair =>
        {
            var before = SqlSafety.Check(pair.Original);
            var after = SqlSafety.Check(pair.Respaced);
            return before.IsAllowed == after.IsAllowed && before.Kind == after.Kind;
        });
    }
}
