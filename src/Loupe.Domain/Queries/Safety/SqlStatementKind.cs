namespace Loupe.Domain.Queries.Safety;

/// <summary>The read-only statement kinds a saved query may have (named by its first keyword).</summary>
public enum SqlStatementKind
{
    Select,
    With,
    Values,
    Table,
    Explain,
    Show,
}
