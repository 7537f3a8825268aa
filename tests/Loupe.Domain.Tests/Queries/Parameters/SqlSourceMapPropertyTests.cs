using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Tests.Queries.Parameters;

/// <summary>
/// A database error's position in the SQL sent (placeholders replaced by <c>$n</c>) maps back to the
/// SQL as written, and to the line and column an editor shows.
/// </summary>
public sealed class SqlSourceMapPropertyTests
{
    private static readonly string[] Fragments =
    [
        "SELECT ", "* ", "FROM t ", "WHERE x = ", " AND ", "y", "(", ")", ", ", "1", "x", "::int ", "\n", "\r\n", "é", "😀",
        " '{{ a }}' ", " -- {{ b }}\n", " /* {{ a }} */ ", " $$ {{ b }} $$ ", " \"{{a}}\" ",
    ];

    private static readonly string[] Placeholders = ["{{a}}", "{{ a }}", "{{\nb\n}}", "{{ r.start }}", "{{r.end}}"];

    private static readonly ParameterDefinition[] Definitions =
    [
        ParameterDefinition.Create("a", ParameterType.Text),
        ParameterDefinition.Create("b", ParameterType.Number),
        ParameterDefinition.Create("r", ParameterType.DateRange),
    ];

    private static readonly Dictionary<string, ParameterValue?> Values = new(StringComparer.Ordinal)
    {
        ["a"] = ParameterValue.OfText("v"),
        ["b"] = ParameterValue.OfNumber("7"),
        ["r"] = ParameterValue.OfRange(ParameterValue.OfText("2024-01-01"), ParameterValue.OfText("2024-02-01")),
    };

    private static readonly Gen<string> Templates =
        Gen.Choose(-Fragments.Length, Placeholders.Length - 1)
            .Select(i => i < 0 ? Fragments[-i - 1] : Placeholders[i])
            .ArrayOf()
            .Select(string.Concat);

    [Property]
    public Property EveryPositionOfTheSentSql_MapsToTheSameCharacterAsWritten_OrToItsPlaceholder()
    {
        return Prop.ForAll(Templates.ToArbitrary(), sql =>
        {
            if (!QueryParameters.TryBind(sql, Definitions, Values, out var bound, out _))
            {
                return true;
            }

            var map = bound.SourceMap;
            var previous = -1;
            for (var p = 0; p <= bound.Sql.Length; p++)
            {
                var original = map.ToOriginal(p);
                if (original < previous || original > sql.Length)
                {
                    return false;
                }

                previous = original;
                var same = p < bound.Sql.Length && original < sql.Length && sql[original] == bound.Sql[p];
                var placeholder = sql.AsSpan(original).StartsWith("{{", StringComparison.Ordinal);
                var end = p == bound.Sql.Length && original == sql.Length;
                if (!(same || placeholder || end))
                {
                    return false;
                }
            }

            return true;
        });
    }

    [Property]
    public Property TheStoredMap_MapsLikeTheOriginal()
    {
        return Prop.ForAll(Templates.ToArbitrary(), sql =>
        {
            if (!QueryParameters.TryBind(sql, Definitions, Values, out var bound, out _))
            {
                return true;
            }

            var decoded = SqlSourceMap.Decode(bound.SourceMap.Encode());
            return decoded.IsIdentity == bound.SourceMap.IsIdentity
                && Enumerable.Range(0, bound.Sql.Length + 1).All(p => decoded.ToOriginal(p) == bound.SourceMap.ToOriginal(p));
        });
    }

    [Property]
    public Property LineAndColumn_LeadBackToTheOffset()
    {
        var texts = Gen.Elements('a', ' ', '\n', '\r', 'é', '{').ArrayOf().Select(chars => new string(chars));
        return Prop.ForAll(texts.ToArbitrary(), ArbMap.Default.ArbFor<NonNegativeInt>(), (text, n) =>
        {
            var offset = text.Length == 0 ? 0 : n.Get % (text.Length + 1);
            var location = SqlLocation.Of(text, offset);
            var lineStart = 0;
            for (var line = 1; line < location.Line; line++)
            {
                lineStart = text.IndexOf('\n', lineStart) + 1;
            }

            return location.Line >= 1 && location.Column >= 1
                && lineStart + location.Column - 1 == offset
                && !text.AsSpan(lineStart, offset - lineStart).Contains('\n');
        });
    }

    [Property]
    public Property ADatabasesCharacterPosition_CountsASurrogatePairOnce()
    {
        var texts = Gen.Elements("a", "é", "😀", "\n", "𝄞").ArrayOf().Select(string.Concat);
        return Prop.ForAll(texts.ToArbitrary(), ArbMap.Default.ArbFor<PositiveInt>(), (text, n) =>
        {
            var characters = text.EnumerateRunes().Count();
            var position = ((n.Get - 1) % (characters + 2)) + 1;
            var offset = SqlLocation.OffsetOfCharacter(text, position);
            return position > characters + 1
                ? offset is null
                : offset is { } o && text[..o].EnumerateRunes().Count() == position - 1;
        });
    }

    [Fact]
    public void AnErrorAfterAPlaceholder_IsShownInTheTextAsWritten()
    {
        const string sql = "select 1 as a,\n  {{ a }} as b,\n  nosuch";
        var bound = QueryParameters.Bind(sql, [ParameterDefinition.Create("a", ParameterType.Text)], new Dictionary<string, ParameterValue?> { ["a"] = ParameterValue.OfText("x") });
        var sent = bound.Sql.IndexOf("nosuch", StringComparison.Ordinal);

        var location = SqlLocation.Of(sql, bound.SourceMap.ToOriginal(sent));

        bound.Sql.ShouldBe("select 1 as a,\n  $1 as b,\n  nosuch");
        location.ShouldBe(new SqlLocation(3, 3));
        SqlLocation.Of(sql, bound.SourceMap.ToOriginal(bound.Sql.IndexOf("$1", StringComparison.Ordinal) + 1)).ShouldBe(new SqlLocation(2, 3));
    }
}
