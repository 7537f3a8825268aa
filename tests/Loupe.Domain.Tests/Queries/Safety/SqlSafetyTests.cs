using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Tests.Queries.Safety;

public sealed class SqlSafetyTests
{
    public static TheoryData<string> MaliciousTexts => [.. SqlCorpus.Malicious];

    public static TheoryData<string> BenignTexts => [.. SqlCorpus.Benign];

    public static TheoryData<string, string> DeniedFunctionCalls =>
        [.. SqlCorpus.DeniedFunctionCalls.Select(call => (call.Name, call.Sql))];

    [Fact]
    public void TheCorpusIsLargeEnough()
    {
        SqlCorpus.Malicious.Length.ShouldBeGreaterThanOrEqualTo(100);
        SqlCorpus.Benign.Length.ShouldBeGreaterThanOrEqualTo(40);
    }

    [Theory]
    [MemberData(nameof(MaliciousTexts))]
    public void MaliciousTexts_AreRefused(string sql)
    {
        var verdict = SqlSafety.Check(sql);

        verdict.IsAllowed.ShouldBeFalse();
        verdict.Error.ShouldNotBeNull();
        verdict.Reason.ShouldNotBeNull().Message.ShouldContain($"at position {verdict.Position}");
    }

    [Theory]
    [MemberData(nameof(DeniedFunctionCalls))]
    public void EveryDeniedFunction_IsRefusedInEverySpelling_NamingTheFunction(string name, string sql)
    {
        var verdict = SqlSafety.Check(sql);

        verdict.Error.ShouldBe(SqlSafetyErrors.DeniedFunction);
        verdict.Token.ShouldNotBeNull().Trim('"').ShouldBe(name, StringCompareShould.IgnoreCase);
        sql.Substring(verdict.Position!.Value, verdict.Token.Length).ShouldBe(verdict.Token);
    }

    [Theory]
    [MemberData(nameof(BenignTexts))]
    public void BenignTexts_AreAllowed(string sql)
    {
        var verdict = SqlSafety.Check(sql);

        verdict.Reason.ShouldBeNull();
        verdict.IsAllowed.ShouldBeTrue();
        verdict.Kind.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("select 1", SqlStatementKind.Select)]
    [InlineData("(select 1) union (select 2)", SqlStatementKind.Select)]
    [InlineData("with x as (select 1) select * from x", SqlStatementKind.With)]
    [InlineData("VALUES (1),(2)", SqlStatementKind.Values)]
    [InlineData("TABLE t", SqlStatementKind.Table)]
    [InlineData("EXPLAIN (ANALYZE) SELECT 1", SqlStatementKind.Explain)]
    [InlineData("SHOW search_path", SqlStatementKind.Show)]
    public void AnAllowedVerdict_NamesTheStatementKind(string sql, SqlStatementKind kind) =>
        SqlSafety.Check(sql).Kind.ShouldBe(kind);

    [Fact]
    public void EveryCorpusDeniedFunction_IsOnTheDenyList()
    {
        foreach (var name in SqlCorpus.DeniedFunctionNames)
        {
            SqlDenyList.IsDenied(name).ShouldBeTrue(name);
            SqlDenyList.IsDenied(name.ToUpperInvariant()).ShouldBeFalse(name);
        }
    }

    /// <summary>
    /// Functions the search of PostgreSQL 14 to 18 and their common extensions read and left allowed
    /// (ADR 0026 says why for each): the deny list must not grow over them by a prefix.
    /// </summary>
    [Theory]
    [InlineData("pg_get_wal_resource_managers")]
    [InlineData("pg_get_wal_replay_pause_state")]
    [InlineData("pg_get_wal_summarizer_state")]
    [InlineData("pg_stat_force_next_flush")]
    [InlineData("pg_split_walfile_name")]
    [InlineData("pg_input_is_valid")]
    [InlineData("pg_get_sequence_data")]
    [InlineData("pg_get_loaded_modules")]
    [InlineData("to_regtypemod")]
    [InlineData("xmltext")]
    [InlineData("pg_current_logfile")]
    [InlineData("pg_prewarm")]
    [InlineData("bt_index_check")]
    [InlineData("verify_heapam")]
    [InlineData("gin_index_check")]
    [InlineData("get_raw_page")]
    [InlineData("xslt_process")]
    [InlineData("postgres_fdw_disconnect_all")]
    public void FunctionsReadAndLeftAllowed_AreNotDenied(string name)
    {
        SqlDenyList.IsDenied(name).ShouldBeFalse(name);
        SqlSafety.Check($"select {name}('x')").IsAllowed.ShouldBeTrue(name);
    }

    [Theory]
    [InlineData("select pg_read_file('/etc/passwd')", "sql.denied_function", "pg_read_file", 7, 1, 8)]
    [InlineData("select pg_catalog . \"pg_read_file\" /* c */ ('x')", "sql.denied_function", "\"pg_read_file\"", 20, 1, 21)]
    [InlineData("select 1; delete from t", "sql.multiple_statements", "delete", 10, 1, 11)]
    [InlineData("select 1 /* ; */ ; drop table t", "sql.multiple_statements", "drop", 19, 1, 20)]
    [InlineData("select a\nfrom t\nfor update", "sql.locking_clause", "for", 16, 3, 1)]
    [InlineData("select * into b from t", "sql.select_into", "into", 9, 1, 10)]
    [InlineData("with x as (delete from t returning *) select * from x", "sql.data_modifying", "delete", 11, 1, 12)]
    [InlineData("EXPLAIN ANALYZE DELETE FROM t", "sql.explain_analyze_write", "DELETE", 16, 1, 17)]
    [InlineData("  copy t to program 'rm'", "sql.statement_not_allowed", "copy", 2, 1, 3)]
    [InlineData("select 'abc", "sql.unterminated_string", "'", 7, 1, 8)]
    [InlineData("select E'it\\'s", "sql.unterminated_string", "E'", 7, 1, 8)]
    [InlineData("select \"abc", "sql.unterminated_quoted_identifier", "\"", 7, 1, 8)]
    [InlineData("select 1 /* /* */", "sql.unterminated_comment", "/*", 9, 1, 10)]
    [InlineData("select\n  $tag$ abc $TAG$", "sql.unterminated_dollar_quote", "$tag$", 9, 2, 3)]
    [InlineData("", "sql.empty", "end of text", 0, 1, 1)]
    public void ARefusal_NamesTheTokenAndItsPosition(string sql, string code, string token, int position, int line, int column)
    {
        var verdict = SqlSafety.Check(sql);

        verdict.Error.ShouldNotBeNull().Code.ShouldBe(code);
        verdict.Token.ShouldBe(token);
        verdict.Position.ShouldBe(position);
        verdict.Line.ShouldBe(line);
        verdict.Column.ShouldBe(column);
        verdict.Reason.ShouldNotBeNull().Message.ShouldContain($"`{token}` at position {position} (line {line}, column {column})");
        verdict.Reason.Code.ShouldBe(code);
    }

    [Fact]
    public void ARefusal_UsesTheNamedError()
    {
        SqlSafety.Check("select pg_sleep(1)").Error.ShouldBe(SqlSafetyErrors.DeniedFunction);
        SqlSafety.Check("drop table t").Error.ShouldBe(SqlSafetyErrors.StatementNotAllowed);
    }

    [Fact]
    public void ANullText_IsRefusedAsEmpty() =>
        SqlSafety.Check(null!).Error.ShouldBe(SqlSafetyErrors.Empty);

    [Fact]
    public void TheScanner_FoldsUnquotedNames_AndKeepsQuotedOnes()
    {
        var scan = SqlScanner.Scan("SELECT \"Ab\"\"c\", Foo, $1, $q$x$q$ -- c\n/* /* */ */ 'a'");

        scan.Failure.ShouldBeNull();
        scan.Tokens.Select(token => (token.Kind, token.Value)).ShouldBe(
        [
            (SqlTokenKind.Word, "select"),
            (SqlTokenKind.QuotedIdentifier, "Ab\"c"),
            (SqlTokenKind.Symbol, ","),
            (SqlTokenKind.Word, "foo"),
            (SqlTokenKind.Symbol, ","),
            (SqlTokenKind.Parameter, "$1"),
            (SqlTokenKind.Symbol, ","),
            (SqlTokenKind.DollarString, string.Empty),
            (SqlTokenKind.StringLiteral, string.Empty),
        ]);
    }
}
