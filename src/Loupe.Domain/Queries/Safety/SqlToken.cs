namespace Loupe.Domain.Queries.Safety;

public enum SqlTokenKind
{
    /// <summary>An unquoted identifier or keyword; its value is folded to lower case.</summary>
    Word,

    /// <summary>A <c>"..."</c> or <c>U&amp;"..."</c> identifier; its value is unescaped, case kept.</summary>
    QuotedIdentifier,

    /// <summary>Any single-quoted string (plain, E'', U&amp;'', B'', X'', N'').</summary>
    StringLiteral,

    /// <summary>A <c>$$...$$</c> or <c>$tag$...$tag$</c> string.</summary>
    DollarString,

    Number,

    /// <summary>A positional parameter such as <c>$1</c>.</summary>
    Parameter,

    /// <summary>Any other single character: punctuation or part of an operator.</summary>
    Symbol,
}

/// <summary>One token of SQL text; comments and whitespace produce none.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Value, int Position, int Length)
{
    public bool IsWord(string lowerCaseValue) => Kind == SqlTokenKind.Word && Value == lowerCaseValue;

    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Value.Length == 1 && Value[0] == symbol;
}

/// <summary>The tokens of a text, or the refusal for a construct that never ends.</summary>
public sealed record SqlScan(IReadOnlyList<SqlToken> Tokens, SqlVerdict? Failure);
