using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Safety;

/// <summary>
/// Why the SQL safety check refused a text. The verdict adds the offending token and its position
/// (see <see cref="SqlVerdict.Reason"/>); callers compare by these values, not by message text.
/// </summary>
public static class SqlSafetyErrors
{
    public static readonly DomainError Empty =
        DomainError.Validation("sql.empty", "sql", "The query contains no statement.");

    public static readonly DomainError MultipleStatements =
        DomainError.Validation("sql.multiple_statements", "sql", "A query holds exactly one statement.");

    public static readonly DomainError StatementNotAllowed =
        DomainError.Validation("sql.statement_not_allowed", "sql",
            "Only read-only statements can run: SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW.");

    public static readonly DomainError DataModifying =
        DomainError.Validation("sql.data_modifying", "sql",
            "INSERT, UPDATE, DELETE and MERGE are not allowed, not even inside WITH.");

    public static readonly DomainError SelectInto =
        DomainError.Validation("sql.select_into", "sql", "SELECT ... INTO creates a table and is not allowed.");

    public static readonly DomainError LockingClause =
        DomainError.Validation("sql.locking_clause", "sql",
            "Row locks (FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE) are not allowed.");

    public static readonly DomainError ExplainAnalyzeWrite =
        DomainError.Validation("sql.explain_analyze_write", "sql",
            "EXPLAIN ANALYZE runs its statement, so it may only explain a read-only query.");

    public static readonly DomainError DeniedFunction =
        DomainError.Validation("sql.denied_function", "sql", "This function is not allowed in queries.");

    public static readonly DomainError UnterminatedString =
        DomainError.Validation("sql.unterminated_string", "sql", "A quoted string is never closed.");

    public static readonly DomainError UnterminatedQuotedIdentifier =
        DomainError.Validation("sql.unterminated_quoted_identifier", "sql", "A quoted identifier is never closed.");

    public static readonly DomainError UnterminatedComment =
        DomainError.Validation("sql.unterminated_comment", "sql", "A block comment is never closed.");

    public static readonly DomainError UnterminatedDollarQuote =
        DomainError.Validation("sql.unterminated_dollar_quote", "sql", "A dollar-quoted string is never closed.");

    public static readonly DomainError InvalidUnicodeEscape =
        DomainError.Validation("sql.invalid_unicode_escape", "sql", "A U&\"...\" identifier has an invalid Unicode escape.");
}
