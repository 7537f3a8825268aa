using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Safety;

/// <summary>
/// Decides whether a SQL text may run as a saved query (ADR 0019): exactly one statement, a
/// read-only kind, no row locks, no SELECT INTO, no data-modifying WITH, no deny-listed function.
/// This is a validator in front of the execution guard (a READ ONLY transaction with timeouts and
/// limits), not a replacement for it. It never throws.
/// </summary>
public static class SqlSafety
{
    public static SqlVerdict Check(string sql)
    {
        sql ??= string.Empty;
        var scan = SqlScanner.Scan(sql);
        if (scan.Failure is { } failure)
        {
            return failure;
        }

        var statements = SplitStatements(scan.Tokens);
        if (statements.Count == 0)
        {
            return SqlVerdict.Refused(SqlSafetyErrors.Empty, sql, 0, 0);
        }

        if (statements.Count > 1)
        {
            return Refuse(SqlSafetyErrors.MultipleStatements, sql, statements[1][0]);
        }

        return CheckStatement(sql, statements[0]);
    }

    private static List<List<SqlToken>> SplitStatements(IReadOnlyList<SqlToken> tokens)
    {
        var statements = new List<List<SqlToken>>();
        var current = new List<SqlToken>();
        foreach (var token in tokens)
        {
            if (token.IsSymbol(';'))
            {
                if (current.Count > 0)
                {
                    statements.Add(current);
                    current = [];
                }
            }
            else
            {
                current.Add(token);
            }
        }

        if (current.Count > 0)
        {
            statements.Add(current);
        }

        return statements;
    }

    private static SqlVerdict CheckStatement(string sql, List<SqlToken> tokens)
    {
        var head = SkipOpeningParentheses(tokens, 0);
        if (head >= tokens.Count)
        {
            return Refuse(SqlSafetyErrors.StatementNotAllowed, sql, tokens[0]);
        }

        SqlStatementKind? kind = tokens[head].Kind == SqlTokenKind.Word ? QueryKind(tokens[head].Value) : null;
        if (kind is null && head == 0 && tokens[0].Kind == SqlTokenKind.Word)
        {
            kind = tokens[0].Value switch
            {
                "explain" => SqlStatementKind.Explain,
                "show" => SqlStatementKind.Show,
                _ => null,
            };
        }

        if (kind is null)
        {
            return Refuse(SqlSafetyErrors.StatementNotAllowed, sql, tokens[head]);
        }

        if (kind == SqlStatementKind.Explain && CheckExplained(sql, tokens) is { } refusedExplain)
        {
            return refusedExplain;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.Word)
            {
                if (token.Value == "into")
                {
                    return Refuse(SqlSafetyErrors.SelectInto, sql, token);
                }

                if (token.Value == "for" && IsLockingClause(tokens, i + 1))
                {
                    return Refuse(SqlSafetyErrors.LockingClause, sql, token);
                }

                if (token.Value is "insert" or "update" or "delete" or "merge")
                {
                    return Refuse(SqlSafetyErrors.DataModifying, sql, token);
                }
            }

            if (token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier
                && i + 1 < tokens.Count
                && tokens[i + 1].IsSymbol('(')
                && SqlDenyList.IsDenied(token.Value))
            {
                return Refuse(SqlSafetyErrors.DeniedFunction, sql, token);
            }
        }

        return SqlVerdict.Allowed(kind.Value);
    }

    private static SqlStatementKind? QueryKind(string keyword) => keyword switch
    {
        "select" => SqlStatementKind.Select,
        "with" => SqlStatementKind.With,
        "values" => SqlStatementKind.Values,
        "table" => SqlStatementKind.Table,
        _ => null,
    };

    private static int SkipOpeningParentheses(List<SqlToken> tokens, int start)
    {
        var i = start;
        while (i < tokens.Count && tokens[i].IsSymbol('('))
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// EXPLAIN may only explain a query (SELECT, WITH, VALUES, TABLE); the rest of the statement is
    /// then checked like any query. With ANALYZE the explained statement really runs, hence its own error.
    /// </summary>
    private static SqlVerdict? CheckExplained(string sql, List<SqlToken> tokens)
    {
        var analyze = false;
        var i = 1;
        if (i < tokens.Count && tokens[i].IsSymbol('('))
        {
            var depth = 0;
            for (; i < tokens.Count; i++)
            {
                if (tokens[i].IsSymbol('('))
                {
                    depth++;
                }
                else if (tokens[i].IsSymbol(')'))
                {
                    depth--;
                    if (depth == 0)
                    {
                        i++;
                        break;
                    }
                }
                else if (tokens[i].Kind == SqlTokenKind.Word && tokens[i].Value is "analyze" or "analyse")
                {
                    analyze = true;
                }
            }
        }
        else
        {
            while (i < tokens.Count && tokens[i].Kind == SqlTokenKind.Word && tokens[i].Value is "analyze" or "analyse" or "verbose")
            {
                analyze |= tokens[i].Value != "verbose";
                i++;
            }
        }

        var error = analyze ? SqlSafetyErrors.ExplainAnalyzeWrite : SqlSafetyErrors.StatementNotAllowed;
        var head = SkipOpeningParentheses(tokens, i);
        if (head >= tokens.Count)
        {
            return Refuse(error, sql, tokens[^1]);
        }

        return tokens[head].Kind == SqlTokenKind.Word && QueryKind(tokens[head].Value) is not null
            ? null
            : Refuse(error, sql, tokens[head]);
    }

    // FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE.
    private static bool IsLockingClause(List<SqlToken> tokens, int i)
    {
        bool Is(int index, string word) => index < tokens.Count && tokens[index].IsWord(word);

        return Is(i, "update")
            || Is(i, "share")
            || (Is(i, "no") && Is(i + 1, "key") && Is(i + 2, "update"))
            || (Is(i, "key") && Is(i + 1, "share"));
    }

    private static SqlVerdict Refuse(DomainError error, string sql, SqlToken token) =>
        SqlVerdict.Refused(error, sql, token.Position, token.Length);
}
