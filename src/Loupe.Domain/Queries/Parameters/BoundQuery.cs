namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// A saved query ready to send: its SQL with every placeholder replaced by a positional parameter
/// (<c>$1</c> … <c>$n</c>), and the value of each, in order (<c>Values[0]</c> is <c>$1</c>). A null
/// value is SQL NULL. No value is ever part of <see cref="Sql"/>.
/// <para>Each value has the CLR type Npgsql sends natively: text and enum a <see cref="string"/>;
/// number a <see cref="long"/> when whole and in range, otherwise a <see cref="decimal"/>; boolean a
/// <see cref="bool"/>; date, and each part of a date range, a <see cref="DateOnly"/>; datetime a
/// <see cref="DateTime"/> of kind UTC (<c>timestamptz</c>).</para>
/// </summary>
public sealed record BoundQuery(string Sql, IReadOnlyList<object?> Values)
{
    /// <summary>The value each parameter ran with, by name, as given or its default (null: SQL NULL).</summary>
    public IReadOnlyDictionary<string, ParameterValue?> Named { get; init; } = new Dictionary<string, ParameterValue?>();

    /// <summary>Where <see cref="Sql"/> lines up with the SQL as written.</summary>
    public SqlSourceMap SourceMap { get; init; } = SqlSourceMap.Identity;
}
