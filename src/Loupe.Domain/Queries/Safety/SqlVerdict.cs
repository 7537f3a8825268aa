using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Safety;

/// <summary>
/// The outcome of <see cref="SqlSafety.Check"/>: either allowed, with the statement kind, or refused,
/// with a named error, the offending token and where it starts.
/// </summary>
public sealed record SqlVerdict
{
    private SqlVerdict(SqlStatementKind? kind, DomainError? error, string? token, int? position, int? line, int? column)
    {
        Kind = kind;
        Error = error;
        Token = token;
        Position = position;
        Line = line;
        Column = column;
    }

    public bool IsAllowed => Error is null;

    /// <summary>The statement kind when allowed.</summary>
    public SqlStatementKind? Kind { get; }

    /// <summary>The named error when refused (one of <see cref="SqlSafetyErrors"/>).</summary>
    public DomainError? Error { get; }

    /// <summary>The offending token as written (the opening delimiter for an unterminated construct).</summary>
    public string? Token { get; }

    /// <summary>0-based character offset of <see cref="Token"/> in the checked text.</summary>
    public int? Position { get; }

    /// <summary>1-based line of <see cref="Token"/>.</summary>
    public int? Line { get; }

    /// <summary>1-based column of <see cref="Token"/>.</summary>
    public int? Column { get; }

    /// <summary>The error with a message naming the token and its position, ready to show.</summary>
    public DomainError? Reason => Error is null
        ? null
        : Error with { Message = $"{Error.Message} Found `{Token}` at position {Position} (line {Line}, column {Column})." };

    public static SqlVerdict Allowed(SqlStatementKind kind) => new(kind, null, null, null, null, null);

    public static SqlVerdict Refused(DomainError error, string sql, int position, int length)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(sql);
        position = Math.Clamp(position, 0, sql.Length);
        length = Math.Clamp(length, 0, Math.Min(sql.Length - position, MaxTokenLength));
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (sql[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var token = length == 0 ? "end of text" : sql.Substring(position, length);
        return new(null, error, token, position, line, position - lineStart + 1);
    }

    private const int MaxTokenLength = 64;
}
