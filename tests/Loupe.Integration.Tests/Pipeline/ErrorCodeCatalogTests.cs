namespace Loupe.Integration.Tests.Pipeline;

/// <summary>docs/errors.md is the one list of problem codes: every code the server can produce is on it, and nothing else.</summary>
public sealed class ErrorCodeCatalogTests
{
    [Fact]
    public void EveryCodeTheCatalogsProduce_IsListedInTheErrorsDocument()
    {
        var produced = ErrorCodeCatalog.Produced();

        var missing = produced.Where(p => !ErrorCodeCatalog.Documented.Contains(p.Key)).Select(p => $"{p.Key} ({p.Value})").Order(StringComparer.Ordinal).ToList();
        missing.ShouldBeEmpty("docs/errors.md does not list these codes");
    }

    [Fact]
    public void EveryCodeTheErrorsDocumentLists_IsProduced()
    {
        var produced = ErrorCodeCatalog.Produced();

        var stale = ErrorCodeCatalog.Documented.Where(code => !produced.ContainsKey(code)).Order(StringComparer.Ordinal).ToList();
        stale.ShouldBeEmpty("docs/errors.md lists codes nothing produces");
    }

    [Fact]
    public void TheCatalogs_NameTheCodesAUiActsOn()
    {
        var produced = ErrorCodeCatalog.Produced();

        produced.Keys.ShouldBeSubsetOf(ErrorCodeCatalog.Documented);
        string[] expected =
        [
            "run.not_finished", "run.no_result", "run.result_expired", "user.last_admin", "datasource.in_use", "user.email_taken",
            "query.archived", "rate_limited", "validation_failed", "not_found", "unauthorized", "forbidden", "payload_too_large",
            "unsupported_media_type", "precondition_failed", "unknown_query_parameter", "invalid_body",
        ];
        expected.ShouldBeSubsetOf(produced.Keys);
    }
}
