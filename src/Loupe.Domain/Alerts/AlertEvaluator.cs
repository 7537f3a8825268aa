using System.Globalization;
using System.Text.Json;

namespace Loupe.Domain.Alerts;

/// <summary>What an alert's state becomes after looking at a result.</summary>
public enum AlertState
{
    /// <summary>Not evaluated yet, or the result could not answer the condition (the reason says why).</summary>
    Unknown,
    Ok,
    Triggered,
}

/// <summary>Why a result could not answer a condition; each is a code a client reads.</summary>
public static class AlertReasons
{
    /// <summary>No successful run has been evaluated since the alert was created or its condition changed.</summary>
    public const string NotEvaluated = "not_evaluated";

    /// <summary>The result has no rows: no value to compare (never taken as 0).</summary>
    public const string EmptyResult = "empty_result";

    /// <summary>The result has no column of the condition's name.</summary>
    public const string MissingColumn = "missing_column";

    /// <summary>A value the comparison needs is NULL.</summary>
    public const string NullValue = "null_value";

    /// <summary>A numeric comparison met a value that is not a number.</summary>
    public const string NonNumericValue = "non_numeric_value";

    /// <summary>A value was too long to be read whole.</summary>
    public const string ValueTruncated = "value_truncated";

    /// <summary>The stored result was cut at the row limit, so a condition over every row cannot be answered.</summary>
    public const string ResultTruncated = "result_truncated";

    /// <summary>The stored result is gone (expired or removed) before it could be evaluated.</summary>
    public const string ResultUnavailable = "result_unavailable";
}

/// <summary>The outcome of one evaluation: a state, why it is unknown, and what was observed (a short summary).</summary>
public sealed record AlertEvaluation(AlertState State, string? Reason, string? Observed)
{
    public const int ObservedMaxLength = 200;

    public static AlertEvaluation Unknown(string reason) => new(AlertState.Unknown, reason, null);

    public static AlertEvaluation Of(bool met, string? observed) =>
        new(met ? AlertState.Triggered : AlertState.Ok, null, Summarised(observed));

    private static string? Summarised(string? observed) =>
        observed is null || observed.Length <= ObservedMaxLength ? observed : string.Concat(observed.AsSpan(0, ObservedMaxLength - 1), "…");
}

/// <summary>
/// Evaluates a condition over a result's columns and rows, without side effects. Cells are the values a
/// result page holds: numbers (<see cref="long"/>, <see cref="int"/>, <see cref="decimal"/>, <see cref="double"/>),
/// texts (a text that reads as a number counts as one for a numeric comparison), <see cref="bool"/>s,
/// <see cref="JsonElement"/>s, <see langword="null"/>, or <see cref="Truncated"/> for a cell not read whole.
/// An empty result, a missing column, a NULL or a non-number where a number is needed makes the outcome
/// <see cref="AlertState.Unknown"/> with a reason; only <c>row_count</c> reads an empty result (as 0 rows).
/// </summary>
public static class AlertEvaluator
{
    /// <summary>Stands for a cell that was not read whole.</summary>
    public static readonly object Truncated = new();

    /// <param name="truncated">The stored result was cut at the row limit (rows beyond it were not kept).</param>
    public static AlertEvaluation Evaluate(AlertCondition condition, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        if (condition.Selector == AlertSelector.RowCount)
        {
            return EvaluateRowCount(condition, rows.Count, truncated);
        }

        var index = IndexOf(columns, condition.Column!);
        if (index < 0)
        {
            return AlertEvaluation.Unknown(AlertReasons.MissingColumn);
        }

        if (rows.Count == 0)
        {
            return AlertEvaluation.Unknown(AlertReasons.EmptyResult);
        }

        switch (condition.Selector)
        {
            case AlertSelector.FirstRow:
                return Test(condition, rows[0][index], out var met, out var observed) is { } reason
                    ? AlertEvaluation.Unknown(reason)
                    : AlertEvaluation.Of(met, observed);

            case AlertSelector.AnyRow:
            case AlertSelector.AllRows:
                {
                    var any = condition.Selector == AlertSelector.AnyRow;
                    foreach (var row in rows)
                    {
                        if (Test(condition, row[index], out var rowMet, out var rowObserved) is { } rowReason)
                        {
                            return AlertEvaluation.Unknown(rowReason);
                        }

                        if (rowMet == any)
                        {
                            // any_row: one match is enough; all_rows: one miss is enough (either way, whatever the rows not kept).
                            return AlertEvaluation.Of(any, rowObserved);
                        }
                    }

                    return truncated ? AlertEvaluation.Unknown(AlertReasons.ResultTruncated) : AlertEvaluation.Of(!any, null);
                }

            default:
                {
                    if (truncated)
                    {
                        return AlertEvaluation.Unknown(AlertReasons.ResultTruncated);
                    }

                    decimal? extreme = null;
                    foreach (var row in rows)
                    {
                        if (NumberOf(row[index], out var number) is { } numberReason)
                        {
                            return AlertEvaluation.Unknown(numberReason);
                        }

                        if (extreme is null || (condition.Selector == AlertSelector.Min ? number < extreme : number > extreme))
                        {
                            extreme = number;
                        }
                    }

                    return AlertEvaluation.Of(Compare(extreme!.Value, condition.Operator, condition.Value.Number!.Value), extreme.Value.ToString(CultureInfo.InvariantCulture));
                }
        }
    }

    /// <summary>A <c>row_count</c> condition over a result of <paramref name="rowCount"/> rows, without reading them.</summary>
    public static AlertEvaluation EvaluateRowCount(AlertCondition condition, long rowCount, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.Selector != AlertSelector.RowCount)
        {
            throw new ArgumentException("Only a row_count condition is answered by the number of rows.", nameof(condition));
        }

        if (truncated)
        {
            return AlertEvaluation.Unknown(AlertReasons.ResultTruncated);
        }

        var count = (decimal)rowCount;
        return AlertEvaluation.Of(Compare(count, condition.Operator, condition.Value.Number!.Value), count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Compares one cell; null when it met (or not) the condition, else why it cannot say.</summary>
    private static string? Test(AlertCondition condition, object? cell, out bool met, out string? observed)
    {
        met = false;
        observed = null;
        if (condition.Value.Number is { } target)
        {
            if (NumberOf(cell, out var number) is { } reason)
            {
                return reason;
            }

            met = Compare(number, condition.Operator, target);
            observed = number.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        if (TextOf(cell, out var text) is { } textReason)
        {
            return textReason;
        }

        var wanted = condition.Value.Text!;
        met = condition.Operator switch
        {
            AlertOperator.Equal => string.Equals(text, wanted, StringComparison.Ordinal),
            AlertOperator.NotEqual => !string.Equals(text, wanted, StringComparison.Ordinal),
            AlertOperator.Contains => text.Contains(wanted, StringComparison.Ordinal),
            AlertOperator.NotContains => !text.Contains(wanted, StringComparison.Ordinal),
            _ => throw new InvalidOperationException("A text condition orders nothing."),
        };
        observed = text;
        return null;
    }

    public static bool Compare(decimal observed, AlertOperator op, decimal target) => op switch
    {
        AlertOperator.GreaterThan => observed > target,
        AlertOperator.GreaterOrEqual => observed >= target,
        AlertOperator.LessThan => observed < target,
        AlertOperator.LessOrEqual => observed <= target,
        AlertOperator.Equal => observed == target,
        AlertOperator.NotEqual => observed != target,
        _ => throw new InvalidOperationException("A numeric condition does not look for text."),
    };

    private static string? NumberOf(object? cell, out decimal number)
    {
        number = 0;
        switch (cell)
        {
            case null:
                return AlertReasons.NullValue;
            case long l:
                number = l;
                return null;
            case int i:
                number = i;
                return null;
            case short s:
                number = s;
                return null;
            case decimal d:
                number = d;
                return null;
            case double or float:
                {
                    var value = Convert.ToDouble(cell, CultureInfo.InvariantCulture);
                    if (!double.IsFinite(value) || Math.Abs(value) >= (double)decimal.MaxValue)
                    {
                        return AlertReasons.NonNumericValue;
                    }

                    number = (decimal)value;
                    return null;
                }

            case string text:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) ? null : AlertReasons.NonNumericValue;
            case JsonElement { ValueKind: JsonValueKind.Number } element:
                return element.TryGetDecimal(out number) ? null : AlertReasons.NonNumericValue;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return decimal.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) ? null : AlertReasons.NonNumericValue;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return AlertReasons.NullValue;
            default:
                return cell == Truncated ? AlertReasons.ValueTruncated : AlertReasons.NonNumericValue;
        }
    }

    private static string? TextOf(object? cell, out string text)
    {
        text = string.Empty;
        switch (cell)
        {
            case null:
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return AlertReasons.NullValue;
            case string s:
                text = s;
                return null;
            case bool b:
                text = b ? "true" : "false";
                return null;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                text = element.GetString()!;
                return null;
            case JsonElement element:
                text = element.GetRawText();
                return null;
            case IFormattable formattable:
                text = formattable.ToString(null, CultureInfo.InvariantCulture);
                return null;
            default:
                return cell == Truncated ? AlertReasons.ValueTruncated : AlertReasons.NonNumericValue;
        }
    }

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
