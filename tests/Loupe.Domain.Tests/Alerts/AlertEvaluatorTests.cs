using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Alerts;
using Loupe.Domain.Common;

namespace Loupe.Domain.Tests.Alerts;

public sealed class AlertEvaluatorTests
{
    private static readonly string[] Columns = ["day", "amount"];

    private static readonly Gen<AlertOperator> NumericOperators = Gen.Elements(
        AlertOperator.GreaterThan, AlertOperator.GreaterOrEqual, AlertOperator.LessThan, AlertOperator.LessOrEqual, AlertOperator.Equal, AlertOperator.NotEqual);

    private static readonly Gen<decimal> Numbers = Gen.Choose(-1_000, 1_000).Select(n => n / 4m);

    /// <summary>A number cell in one of the shapes a result page holds.</summary>
    private static readonly Gen<(decimal Value, object Cell)> Cells = Numbers.SelectMany(n => Gen.Elements<object>(
        n, (double)n, n.ToString(System.Globalization.CultureInfo.InvariantCulture), JsonSerializer.SerializeToElement(n))
        .Select(cell => (n, decimal.IsInteger(n) ? (object)(long)n : cell)));

    private static IReadOnlyList<object?>[] Rows(IEnumerable<object?> amounts) => [.. amounts.Select(a => (IReadOnlyList<object?>)["2026-12-07", a])];

    private static AlertCondition Condition(AlertSelector selector, AlertOperator op, decimal value) =>
        AlertCondition.Create(selector, selector == AlertSelector.RowCount ? null : "amount", op, AlertValue.Of(value));

    [Property]
    public Property MinMaxAnyAll_AgreeWithTheirDefinitions_OverNonEmptyResults() =>
        Prop.ForAll(Gen.NonEmptyListOf(Cells).ToArbitrary(), NumericOperators.ToArbitrary(), Numbers.ToArbitrary(), (cells, op, target) =>
        {
            var rows = Rows(cells.Select(c => c.Cell));
            var values = cells.Select(c => c.Value).ToArray();
            AlertState Expected(bool met) => met ? AlertState.Triggered : AlertState.Ok;
            AlertState Actual(AlertSelector selector) => AlertEvaluator.Evaluate(Condition(selector, op, target), Columns, rows, truncated: false).State;

            return Actual(AlertSelector.Min) == Expected(AlertEvaluator.Compare(values.Min(), op, target))
                && Actual(AlertSelector.Max) == Expected(AlertEvaluator.Compare(values.Max(), op, target))
                && Actual(AlertSelector.FirstRow) == Expected(AlertEvaluator.Compare(values[0], op, target))
                && Actual(AlertSelector.AnyRow) == Expected(values.Any(v => AlertEvaluator.Compare(v, op, target)))
                && Actual(AlertSelector.AllRows) == Expected(values.All(v => AlertEvaluator.Compare(v, op, target)))
                && Actual(AlertSelector.RowCount) == Expected(AlertEvaluator.Compare(values.Length, op, target));
        });

    [Property]
    public Property AnEmptyResult_IsUnknown_NeverZero_ExceptForRowCount() =>
        Prop.ForAll(Gen.Elements(Enum.GetValues<AlertSelector>()).ToArbitrary(), NumericOperators.ToArbitrary(), Numbers.ToArbitrary(), (selector, op, target) =>
        {
            var evaluation = AlertEvaluator.Evaluate(Condition(selector, op, target), Columns, [], truncated: false);
            return selector == AlertSelector.RowCount
                ? evaluation.State == (AlertEvaluator.Compare(0, op, target) ? AlertState.Triggered : AlertState.Ok)
                : evaluation.State == AlertState.Unknown && evaluation.Reason == AlertReasons.EmptyResult;
        });

    [Property]
    public Property AMissingColumn_IsUnknownWithItsReason() =>
        Prop.ForAll(Gen.Elements(AlertSelector.FirstRow, AlertSelector.AnyRow, AlertSelector.AllRows, AlertSelector.Min, AlertSelector.Max).ToArbitrary(), Gen.ListOf(Cells).ToArbitrary(), (selector, cells) =>
        {
            var condition = AlertCondition.Create(selector, "revenue", AlertOperator.GreaterThan, AlertValue.Of(0));
            var evaluation = AlertEvaluator.Evaluate(condition, Columns, Rows(cells.Select(c => c.Cell)), truncated: false);
            return evaluation.State == AlertState.Unknown && evaluation.Reason == AlertReasons.MissingColumn;
        });

    [Property]
    public Property ANullOrText_AmongNumbers_MakesMinMaxUnknown() =>
        Prop.ForAll(Gen.NonEmptyListOf(Cells).ToArbitrary(), Gen.Elements<object?>(null, "n/a", true, AlertEvaluator.Truncated).ToArbitrary(), (cells, odd) =>
        {
            var amounts = cells.Select(c => (object?)c.Cell).Append(odd).ToArray();
            var reason = odd switch { null => AlertReasons.NullValue, var o when o == AlertEvaluator.Truncated => AlertReasons.ValueTruncated, _ => AlertReasons.NonNumericValue };
            var evaluation = AlertEvaluator.Evaluate(Condition(AlertSelector.Max, AlertOperator.GreaterThan, 0), Columns, Rows(amounts), truncated: false);
            return evaluation.State == AlertState.Unknown && evaluation.Reason == reason;
        });

    [Property]
    public Property Contains_IsOrdinalSubstring() =>
        Prop.ForAll(Gen.Elements("error", "Error", "ok", "", "warn").ToArbitrary(), Gen.Elements("an error here", "all ok", "WARNING").ToArbitrary(), (needle, cell) =>
        {
            var contains = AlertCondition.Create(AlertSelector.FirstRow, "amount", AlertOperator.Contains, AlertValue.Of(needle));
            var notContains = AlertCondition.Create(AlertSelector.FirstRow, "amount", AlertOperator.NotContains, AlertValue.Of(needle));
            var met = cell.Contains(needle, StringComparison.Ordinal);
            return AlertEvaluator.Evaluate(contains, Columns, Rows([cell]), false).State == (met ? AlertState.Triggered : AlertState.Ok)
                && AlertEvaluator.Evaluate(notContains, Columns, Rows([cell]), false).State == (met ? AlertState.Ok : AlertState.Triggered);
        });

    [Fact]
    public void ATruncatedResult_AnswersOnlyWhatItsKeptRowsDecide()
    {
        var rows = Rows([5L, 50L]);
        AlertEvaluator.Evaluate(Condition(AlertSelector.AnyRow, AlertOperator.GreaterThan, 10), Columns, rows, truncated: true).State.ShouldBe(AlertState.Triggered);
        AlertEvaluator.Evaluate(Condition(AlertSelector.AnyRow, AlertOperator.GreaterThan, 100), Columns, rows, truncated: true).Reason.ShouldBe(AlertReasons.ResultTruncated);
        AlertEvaluator.Evaluate(Condition(AlertSelector.AllRows, AlertOperator.GreaterThan, 10), Columns, rows, truncated: true).State.ShouldBe(AlertState.Ok);
        AlertEvaluator.Evaluate(Condition(AlertSelector.Max, AlertOperator.GreaterThan, 10), Columns, rows, truncated: true).Reason.ShouldBe(AlertReasons.ResultTruncated);
        AlertEvaluator.Evaluate(Condition(AlertSelector.RowCount, AlertOperator.GreaterThan, 1), Columns, rows, truncated: true).Reason.ShouldBe(AlertReasons.ResultTruncated);
        AlertEvaluator.Evaluate(Condition(AlertSelector.FirstRow, AlertOperator.GreaterThan, 1), Columns, rows, truncated: true).State.ShouldBe(AlertState.Triggered);
    }

    [Property]
    public Property RowCountFromTheCountAlone_AnswersAsOverTheRows(byte count, bool truncated, decimal target) =>
        Enum.GetValues<AlertOperator>().Where(op => !AlertCondition.IsTextOnly(op)).All(op =>
        {
            var condition = Condition(AlertSelector.RowCount, op, target);
            var rows = Rows(Enumerable.Repeat<object?>(1L, count));
            return AlertEvaluator.EvaluateRowCount(condition, count, truncated) == AlertEvaluator.Evaluate(condition, Columns, rows, truncated);
        }).ToProperty();

    [Fact]
    public void RowCountFromTheCountAlone_RefusesAnotherSelector() =>
        Should.Throw<ArgumentException>(() => AlertEvaluator.EvaluateRowCount(Condition(AlertSelector.Max, AlertOperator.GreaterThan, 1), 3, truncated: false));

    [Fact]
    public void TheObservedValue_IsSummarised()
    {
        var condition = AlertCondition.Create(AlertSelector.FirstRow, "amount", AlertOperator.Contains, AlertValue.Of("x"));
        var evaluation = AlertEvaluator.Evaluate(condition, Columns, Rows([new string('x', 5_000)]), false);

        evaluation.State.ShouldBe(AlertState.Triggered);
        evaluation.Observed!.Length.ShouldBe(AlertEvaluation.ObservedMaxLength);
    }

    [Theory]
    [InlineData(AlertSelector.RowCount, "amount", AlertOperator.GreaterThan, "1", "alert.column_not_allowed")]
    [InlineData(AlertSelector.FirstRow, null, AlertOperator.GreaterThan, "1", "alert.column_required")]
    [InlineData(AlertSelector.FirstRow, "", AlertOperator.GreaterThan, "1", "alert.column_required")]
    [InlineData(AlertSelector.Min, "amount", AlertOperator.Equal, "text:a", "alert.number_required")]
    [InlineData(AlertSelector.RowCount, null, AlertOperator.Equal, "text:a", "alert.number_required")]
    [InlineData(AlertSelector.AnyRow, "amount", AlertOperator.LessThan, "text:a", "alert.operator_not_for_text")]
    [InlineData(AlertSelector.AnyRow, "amount", AlertOperator.Contains, "3", "alert.operator_needs_text")]
    [InlineData(AlertSelector.FirstRow, "amount", AlertOperator.Equal, null, "alert.value_required")]
    [InlineData(AlertSelector.FirstRow, "am\0ount", AlertOperator.Equal, "1", "alert.nul_character")]
    [InlineData((AlertSelector)42, "amount", AlertOperator.Equal, "1", "alert.selector_unknown")]
    [InlineData(AlertSelector.FirstRow, "amount", (AlertOperator)42, "1", "alert.operator_unknown")]
    public void AConditionThatDoesNotFit_IsRefusedWithItsCode(AlertSelector selector, string? column, AlertOperator op, string? value, string code)
    {
        var parsed = value switch
        {
            null => null,
            _ when value.StartsWith("text:", StringComparison.Ordinal) => AlertValue.Of(value[5..]),
            _ => AlertValue.Of(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)),
        };

        Should.Throw<DomainException>(() => AlertCondition.Create(selector, column, op, parsed)).Error.Code.ShouldBe(code);
    }

    [Theory]
    [InlineData(AlertSelector.RowCount, null, AlertOperator.Equal, false)]
    [InlineData(AlertSelector.Max, "amount", AlertOperator.GreaterOrEqual, false)]
    [InlineData(AlertSelector.AllRows, "status", AlertOperator.NotEqual, true)]
    [InlineData(AlertSelector.AnyRow, "status", AlertOperator.NotContains, true)]
    public void AConditionThatFits_IsAccepted(AlertSelector selector, string? column, AlertOperator op, bool text) =>
        AlertCondition.Check(selector, column, op, text ? AlertValue.Of("failed") : AlertValue.Of(3)).ShouldBeNull();

    [Fact]
    public void WireNames_RoundTrip()
    {
        foreach (var selector in Enum.GetValues<AlertSelector>())
        {
            AlertNames.SelectorNamed(selector.ToName()).ShouldBe(selector);
        }

        foreach (var op in Enum.GetValues<AlertOperator>())
        {
            AlertNames.OperatorNamed(op.ToName()).ShouldBe(op);
        }

        AlertNames.OperatorNamed("=>").ShouldBeNull();
    }
}
