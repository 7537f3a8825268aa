namespace Loupe.Domain.Runs;

/// <summary>
/// Why a run failed (or why its last attempt did, while it waits to retry): the database's SQLSTATE
/// (or a Loupe code) and a message without secrets; for a database's error also where in the SQL as
/// written it points (<see cref="Line"/>, <see cref="Column"/>) and the database's <see cref="Hint"/>
/// and <see cref="Detail"/> when they are safe to show (<see cref="FromDatabase"/>).
/// </summary>
public sealed record RunError
{
    public const int CodeMaxLength = 64;
    public const int MessageMaxLength = 2000;

    /// <summary>
    /// SQLSTATE classes whose hint and detail describe the SQL a person wrote or the values it met, and
    /// are shown: 0A feature not supported, 21 cardinality, 22 data exception, 42 syntax error or access
    /// rule violation. Other classes are left out: 08 and 28 (connection, authentication) can name
    /// hosts and accounts; 23 (integrity) repeats a row's values, which a read-only run never writes but
    /// a function it calls could raise about rows the reader cannot see; P0 (a function's RAISE) and
    /// XX/53/57/58 (the server itself) say whatever the function or server says.
    /// </summary>
    private static readonly HashSet<string> DetailedClasses = new(StringComparer.Ordinal) { "0A", "21", "22", "42" };

    public RunError(string code, string message)
        : this(code, message, null, null, null, null)
    {
    }

    private RunError(string code, string message, int? line, int? column, string? hint, string? detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code.Length > CodeMaxLength ? code[..CodeMaxLength] : code;
        var text = string.IsNullOrWhiteSpace(message) ? "The run failed." : message;
        Message = Bound(text)!;
        Line = line;
        Column = column;
        Hint = Bound(hint);
        Detail = Bound(detail);
    }

    public string Code { get; }

    public string Message { get; }

    /// <summary>1-based line in the SQL as written where the database found the error; null when it gave no position.</summary>
    public int? Line { get; }

    /// <summary>1-based column (UTF-16 code units) on <see cref="Line"/>.</summary>
    public int? Column { get; }

    /// <summary>The database's suggestion, for the classes whose hints are shown.</summary>
    public string? Hint { get; }

    /// <summary>The database's detail, for the classes whose details are shown.</summary>
    public string? Detail { get; }

    /// <summary>
    /// A database's error: its hint and detail are kept only for the SQLSTATE classes that describe
    /// the person's own SQL or values; the location is kept whenever there is one.
    /// </summary>
    public static RunError FromDatabase(string code, string message, int? line, int? column, string? hint, string? detail)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var shown = ShowsDetails(code);
        return new RunError(code, message, line, line is null ? null : column, shown ? hint : null, shown ? detail : null);
    }

    /// <summary>Whether the hint and detail of an error of this SQLSTATE are shown.</summary>
    public static bool ShowsDetails(string code) => code is { Length: 5 } && DetailedClasses.Contains(code[..2]);

    private static string? Bound(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : text.Length > MessageMaxLength ? string.Concat(text.AsSpan(0, MessageMaxLength - 1), "…") : text;
}
