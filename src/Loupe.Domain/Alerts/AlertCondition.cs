using System.Globalization;
using Loupe.Domain.Common;

namespace Loupe.Domain.Alerts;

/// <summary>What an alert looks at in its query's result: one value, every row, or the number of rows.</summary>
public enum AlertSelector
{
    /// <summary>The column's value in the first row.</summary>
    FirstRow,

    /// <summary>True when the column's value in at least one row meets the comparison.</summary>
    AnyRow,

    /// <summary>True when the column's value in every row meets the comparison.</summary>
    AllRows,

    /// <summary>The smallest of the column's values.</summary>
    Min,

    /// <summary>The largest of the column's values.</summary>
    Max,

    /// <summary>The number of rows of the result (no column).</summary>
    RowCount,
}

/// <summary>How the observed value is compared with the condition's value.</summary>
public enum AlertOperator
{
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Equal,
    NotEqual,

    /// <summary>The text holds the condition's text (ordinal, case-sensitive).</summary>
    Contains,

    /// <summary>The text does not hold the condition's text.</summary>
    NotContains,
}

/// <summary>The wire names of selectors and operators.</summary>
public static class AlertNames
{
    public static IReadOnlyList<string> Selectors { get; } = ["first_row", "any_row", "all_rows", "min", "max", "row_count"];

    public static IReadOnlyList<string> Operators { get; } = [">", ">=", "<", "<=", "=", "!=", "contains", "not_contains"];

    public static IReadOnlyList<string> States { get; } = ["unknown", "ok", "triggered"];

    public static string ToName(this AlertSelector selector) => Selectors[(int)selector];

    public static string ToName(this AlertOperator op) => Operators[(int)op];

    public static string ToName(this AlertState state) => States[(int)state];

    public static AlertSelector? SelectorNamed(string? name) =>
        Index(Selectors, name) is { } i ? (AlertSelector)i : null;

    public static AlertOperator? OperatorNamed(string? name) =>
        Index(Operators, name) is { } i ? (AlertOperator)i : null;

    public static AlertState? StateNamed(string? name) =>
        Index(States, name) is { } i ? (AlertState)i : null;

    private static int? Index(IReadOnlyList<string> names, string? name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }
}

/// <summary>The condition's value: a number (compared as a decimal) or a text.</summary>
public sealed record AlertValue
{
    private AlertValue(decimal? number, string? text)
    {
        Number = number;
        Text = text;
    }

    public decimal? Number { get; }

    public string? Text { get; }

    public bool IsNumber => Number is not null;

    public static AlertValue Of(decimal number) => new(number, null);

    public static AlertValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new AlertValue(null, text);
    }

    public override string ToString() => Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : Text!;
}

/// <summary>
/// <c>{selector, column?, op, value}</c>, checked whole: <c>row_count</c> has no column and a number;
/// every other selector names a column; <c>min</c> and <c>max</c> compare numbers; <c>contains</c> and
/// <c>not_contains</c> take a text; a text is compared with <c>=</c> and <c>!=</c> too, never ordered.
/// </summary>
public sealed record AlertCondition
{
    public const int ColumnMaxLength = 255;
    public const int TextMaxLength = 1_000;

    private AlertCondition(AlertSelector selector, string? column, AlertOperator op, AlertValue value)
    {
        Selector = selector;
        Column = column;
        Operator = op;
        Value = value;
    }

    public AlertSelector Selector { get; }

    /// <summary>The column compared; null for <see cref="AlertSelector.RowCount"/>.</summary>
    public string? Column { get; }

    public AlertOperator Operator { get; }

    public AlertValue Value { get; }

    /// <summary>True for the operators that order or compare numbers.</summary>
    public static bool IsOrdering(AlertOperator op) => op is AlertOperator.GreaterThan or AlertOperator.GreaterOrEqual or AlertOperator.LessThan or AlertOperator.LessOrEqual;

    public static bool IsTextOnly(AlertOperator op) => op is AlertOperator.Contains or AlertOperator.NotContains;

    /// <summary>The condition, or the first rule it breaks (<see cref="DomainException"/>).</summary>
    public static AlertCondition Create(AlertSelector selector, string? column, AlertOperator op, AlertValue? value) =>
        Check(selector, column, op, value) is { } error ? throw new DomainException(error) : new AlertCondition(selector, column, op, value!);

    /// <summary>The first rule these parts break, or null.</summary>
    public static DomainError? Check(AlertSelector selector, string? column, AlertOperator op, AlertValue? value)
    {
        if (!Enum.IsDefined(selector))
        {
            return AlertErrors.SelectorUnknown;
        }

        if (!Enum.IsDefined(op))
        {
            return AlertErrors.OperatorUnknown;
        }

        if (selector == AlertSelector.RowCount)
        {
            if (column is not null)
            {
                return AlertErrors.ColumnNotAllowed;
            }
        }
        else if (string.IsNullOrEmpty(column))
        {
            return AlertErrors.ColumnRequired;
        }
        else if (column.Length > ColumnMaxLength)
        {
            return AlertErrors.ColumnTooLong;
        }
        else if (column.Contains('\0', StringComparison.Ordinal))
        {
            return AlertErrors.NulCharacter("condition.column");
        }

        if (value is null)
        {
            return AlertErrors.ValueRequired;
        }

        if (value.Text is { } text)
        {
            if (text.Length > TextMaxLength)
            {
                return AlertErrors.ValueTooLong;
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                return AlertErrors.NulCharacter("condition.value");
            }

            if (selector is AlertSelector.RowCount or AlertSelector.Min or AlertSelector.Max)
            {
                return AlertErrors.NumberRequired;
            }

            return IsOrdering(op) ? AlertErrors.OperatorNotForText : null;
        }

        return IsTextOnly(op) ? AlertErrors.OperatorNeedsText : null;
    }
}
