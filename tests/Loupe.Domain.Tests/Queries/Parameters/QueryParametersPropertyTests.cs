using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Tests.Queries.Parameters;

public sealed class QueryParametersPropertyTests
{
    // Pieces of SQL: code, and braces hidden in strings, comments, dollar quotes and quoted identifiers.
    private static readonly string[] Fragments =
    [
        "SELECT ", "* ", "FROM t ", "WHERE x = ", " AND ", "y", "(", ")", ", ", "1", "x", "::int ", "\n",
        " '{{ a }}' ", " -- {{ b }}\n", " /* {{ a }} /* {{ r.start }} */ */ ", " $$ {{ b }} $$ ", " \"{{a}}\" ", " E'\\'{{a}}' ", " $q${{ r }}$q$ ",
    ];

    private static readonly string[] Names = ["a", "b", "r.start", "r.end"];

    private static readonly string[] Blanks = ["", " ", "  ", "\t", "\n", " \r\n "];

    private static readonly ParameterDefinition[] Definitions =
    [
        ParameterDefinition.Create("a", ParameterType.Text),
        ParameterDefinition.Create("b", ParameterType.Number),
        ParameterDefinition.Create("r", ParameterType.DateRange),
    ];

    /// <summary>A template: each item a fragment (index &lt; 0) or a placeholder name, rendered with chosen blanks inside its braces.</summary>
    private static readonly Gen<(int Item, int Before, int After)[]> Shapes =
        Gen.Choose(-Fragments.Length, Names.Length - 1)
            .SelectMany(item => Gen.Choose(0, Blanks.Length - 1).SelectMany(before => Gen.Choose(0, Blanks.Length - 1).Select(after => (item, before, after))))
            .ArrayOf();

    private static readonly Gen<Dictionary<string, ParameterValue?>> Values =
        Gen.Elements('k', 'q', 'z', 'Ω', '7', '\'', '"', '$', '{', '}', ';', ' ', '-', '/', '*').ArrayOf()
            .SelectMany(text => Gen.Elements('2', '3', '4', '5', '6', '7', '8', '9').ArrayOf(6)
                .SelectMany(digits => Gen.Choose(1, 28).Select(day => new Dictionary<string, ParameterValue?>(StringComparer.Ordinal)
                {
                    // The marker makes the text value impossible to find in any template by accident.
                    ["a"] = ParameterValue.OfText("Ω⁂" + new string(text)),
                    ["b"] = ParameterValue.OfNumber(new string(digits)),
                    ["r"] = ParameterValue.OfRange(
                        ParameterValue.OfText($"2024-03-{day:D2}"),
                        ParameterValue.OfText(string.Create(CultureInfo.InvariantCulture, $"2024-04-{day:D2}"))),
                })));

    private static string Render((int Item, int Before, int After)[] shape, Func<int, string>? blanks = null) =>
        string.Concat(shape.Select((piece, i) => piece.Item < 0
            ? Fragments[-piece.Item - 1]
            : "{{" + (blanks?.Invoke(2 * i) ?? Blanks[piece.Before]) + Names[piece.Item] + (blanks?.Invoke((2 * i) + 1) ?? Blanks[piece.After]) + "}}"));

    [Property]
    public Property CheckAndBind_NeverThrow_OnArbitraryText()
    {
        var tricky = Gen.Elements('{', '}', '{', '}', ' ', '.', 'a', 'b', 'r', 's', 't', '\'', '"', '$', '-', '/', '*', '1', '\n', 'E', '\\', ';', 'é')
            .ArrayOf()
            .Select(chars => new string(chars));
        var noValues = new Dictionary<string, ParameterValue?>();

        return Prop.ForAll(tricky.ToArbitrary(), sql =>
                QueryParameters.Check(sql, Definitions) is not null
                && (QueryParameters.TryBind(sql, Definitions, noValues, out _, out var errors) || errors.Count > 0))
            .And(Prop.ForAll(ArbMap.Default.ArbFor<string>(), sql =>
                QueryParameters.Check(sql, Definitions) is not null && SqlPlaceholders.Find(sql) is not null));
    }

    [Property]
    public Property Binding_NeverPutsAValuesTextIntoTheSql()
    {
        var cases = Shapes.SelectMany(shape => Values.Select(values => (Sql: Render(shape), Values: values)));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            if (!QueryParameters.TryBind(c.Sql, Definitions, c.Values, out var bound, out _))
            {
                return true;
            }

            var texts = new[]
            {
                ((TextValue)c.Values["a"]!).Value,
                ((NumberValue)c.Values["b"]!).Literal,
                ((TextValue)((RangeValue)c.Values["r"]!).Start!).Value,
                ((TextValue)((RangeValue)c.Values["r"]!).End!).Value,
            };
            return texts.All(text => !bound.Sql.Contains(text, StringComparison.Ordinal));
        });
    }

    [Property]
    public Property EveryPositionalParameterOfTheBoundSql_HasAValue_AndNoPlaceholderIsLeft()
    {
        var cases = Shapes.SelectMany(shape => Values.Select(values => (Sql: Render(shape), Values: values)));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            if (!QueryParameters.TryBind(c.Sql, Definitions, c.Values, out var bound, out _))
            {
                return true;
            }

            var numbers = SqlScanner.Scan(bound.Sql).Tokens
                .Where(t => t.Kind == SqlTokenKind.Parameter)
                .Select(t => int.Parse(t.Value[1..], CultureInfo.InvariantCulture))
                .ToHashSet();
            return numbers.SetEquals(Enumerable.Range(1, bound.Values.Count))
                && SqlPlaceholders.Find(bound.Sql) is { Placeholders.Count: 0 } left
                && left.Errors.All(e => e.Code == ParameterErrors.PositionalParameter.Code);
        });
    }

    [Property]
    public Property BlanksInsideTheBraces_NeverChangeTheResult()
    {
        var cases = Shapes.SelectMany(shape => Gen.Choose(0, Blanks.Length - 1).ArrayOf((2 * shape.Length) + 1)
            .SelectMany(blanks => Values.Select(values => (Plain: Render(shape, _ => string.Empty), Spaced: Render(shape, i => Blanks[blanks[i]]), Values: values))));

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var plain = QueryParameters.TryBind(c.Plain, Definitions, c.Values, out var plainBound, out var plainErrors);
            var spaced = QueryParameters.TryBind(c.Spaced, Definitions, c.Values, out var spacedBound, out var spacedErrors);
            return plain == spaced
                && (plain
                    ? plainBound!.Sql == spacedBound!.Sql && plainBound.Values.SequenceEqual(spacedBound.Values)
                    : plainErrors.Select(e => e.Code).SequenceEqual(spacedErrors.Select(e => e.Code)));
        });
    }
}
