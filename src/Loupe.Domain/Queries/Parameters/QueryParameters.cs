using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Loupe.Domain.Common;
using Loupe.Domain.Queries.Safety;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// The rules that tie a saved query's SQL to its parameters (ADR 0024), as pure functions.
/// <list type="bullet">
/// <item>Placeholders are found by <see cref="SqlPlaceholders"/> (never inside comments, strings,
/// dollar quotes or quoted identifiers). Names are case-sensitive; definitions are unique
/// regardless of case.</item>
/// <item>Every placeholder names a definition, and every definition is used by a placeholder.</item>
/// <item>A date range is used through its two parts, <c>{{ r.start }}</c> and <c>{{ r.end }}</c> (at
/// least one of them); a bare <c>{{ r }}</c> is refused, and only a date range has parts.</item>
/// <item>Binding replaces each distinct placeholder (name, or name and part) with <c>$1</c>,
/// <c>$2</c>, … in order of first appearance; the same placeholder used twice is the same
/// <c>$n</c>. A space is added where <c>$n</c> would otherwise run into a neighbouring word or
/// number. Values are sent as parameters; their text never enters the SQL.</item>
/// </list>
/// </summary>
public static class QueryParameters
{
    public const int MaxDefinitions = 50;

    /// <summary>
    /// Everything wrong with a SQL text and its parameter definitions, as saving checks it (empty
    /// when valid): placeholders written wrongly, unknown or never used, and the SQL safety check
    /// (<see cref="SqlSafety.Check"/>) of the text with its placeholders replaced by <c>$n</c> — its
    /// error names the token and its position in <paramref name="sql"/> as written.
    /// </summary>
    public static IReadOnlyList<DomainError> Check(string sql, IReadOnlyList<ParameterDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        sql ??= string.Empty;
        var scan = SqlPlaceholders.Find(sql);
        var errors = new List<DomainError>(scan.Errors);
        errors.AddRange(CheckDefinitions(definitions));
        errors.AddRange(CheckUse(sql, scan.Placeholders, definitions, reportUnused: true));
        if (scan.Tokenized && CheckSafety(sql, scan.Placeholders) is { } refused)
        {
            errors.Add(refused);
        }

        return errors;
    }

    /// <summary>
    /// Binds a run's values to a saved query: the SQL with <c>$1</c> … <c>$n</c> and the typed value of
    /// each (see <see cref="BoundQuery"/> for the CLR types). A missing value takes the default;
    /// a required one without default, a value of the wrong shape or a value for no parameter is refused.
    /// It does not run the SQL safety check (saving did; the execution guard runs regardless).
    /// </summary>
    /// <param name="values">The run's values by parameter name (case-sensitive); a null value is "not given".</param>
    /// <exception cref="DomainException">The first problem; its field is <c>parameters.&lt;name&gt;</c>
    /// for a value, <c>sql</c>/<c>parameters</c> when the query itself breaks the rules.</exception>
    public static BoundQuery Bind(string sql, IReadOnlyList<ParameterDefinition> definitions, IReadOnlyDictionary<string, ParameterValue?> values) =>
        TryBind(sql, definitions, values, out var bound, out var errors) ? bound : throw new DomainException(errors[0]);

    /// <summary>Like <see cref="Bind"/>, but reports every problem at once instead of throwing.</summary>
    public static bool TryBind(
        string sql,
        IReadOnlyList<ParameterDefinition> definitions,
        IReadOnlyDictionary<string, ParameterValue?> values,
        [NotNullWhen(true)] out BoundQuery? bound,
        out IReadOnlyList<DomainError> errors)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(values);
        sql ??= string.Empty;
        var scan = SqlPlaceholders.Find(sql);
        var problems = new List<DomainError>(scan.Errors);
        problems.AddRange(CheckDefinitions(definitions));
        problems.AddRange(CheckUse(sql, scan.Placeholders, definitions, reportUnused: false));

        var given = new Dictionary<string, ParameterValue?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            given[name] = value;
        }

        foreach (var name in given.Keys.Where(name => !definitions.Any(d => d.Name == name)).Order(StringComparer.Ordinal))
        {
            problems.Add(ParameterErrors.ValueUnknown(name));
        }

        var typed = new Dictionary<string, object?>(StringComparer.Ordinal);
        var effective = new Dictionary<string, ParameterValue?>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var value = given.GetValueOrDefault(definition.Name) ?? definition.Default;
            effective[definition.Name] = value;
            if (value is null)
            {
                if (definition.Required)
                {
                    problems.Add(ParameterErrors.ValueRequired(definition.Name));
                }

                typed[definition.Name] = null;
                continue;
            }

            var converted = ParameterValues.Convert(definition.Type, definition.Options, value);
            if (converted.Problem is { } problem)
            {
                problems.Add(ParameterErrors.ValueInvalid(definition.Name, problem));
            }

            typed[definition.Name] = converted.Value;
        }

        errors = problems;
        if (problems.Count > 0)
        {
            bound = null;
            return false;
        }

        var rewritten = Rewrite(sql, scan.Placeholders);
        bound = new BoundQuery(rewritten.Sql, [.. rewritten.Keys.Select(key => ValueOf(key, typed))])
        {
            Named = effective,
            SourceMap = rewritten.Map,
        };
        return true;
    }

    private static List<DomainError> CheckDefinitions(IReadOnlyList<ParameterDefinition> definitions)
    {
        var errors = new List<DomainError>();
        if (definitions.Count > MaxDefinitions)
        {
            errors.Add(ParameterErrors.TooMany);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < definitions.Count; i++)
        {
            if (!seen.Add(definitions[i].Name))
            {
                errors.Add(ParameterErrors.NameDuplicate(Field(i, "name"), definitions[i].Name));
            }
        }

        return errors;
    }

    private static List<DomainError> CheckUse(
        string sql, IReadOnlyList<Placeholder> placeholders, IReadOnlyList<ParameterDefinition> definitions, bool reportUnused)
    {
        var errors = new List<DomainError>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placeholder in placeholders)
        {
            var definition = definitions.FirstOrDefault(d => d.Name == placeholder.Name);
            var where = TextPosition.Describe(sql, placeholder.Position, placeholder.Length);
            var error = definition switch
            {
                null => ParameterErrors.PlaceholderUnknown(placeholder.Name, where),
                { Type: ParameterType.DateRange } when placeholder.Part == PlaceholderPart.Whole => ParameterErrors.RangeNeedsPart(placeholder.Name, where),
                { Type: not ParameterType.DateRange } when placeholder.Part != PlaceholderPart.Whole => ParameterErrors.PartOfNonRange(placeholder.Name, where),
                _ => null,
            };
            if (error is not null && reported.Add(placeholder.Name))
            {
                errors.Add(error);
            }
        }

        if (reportUnused)
        {
            for (var i = 0; i < definitions.Count; i++)
            {
                var name = definitions[i].Name;
                if (!placeholders.Any(p => p.Name == name))
                {
                    errors.Add(ParameterErrors.NeverUsed(Field(i, "name"), name));
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks the text the database would receive, and reports a refusal at the position of the
    /// offending token in the text as written (a whole placeholder when the token is one).
    /// </summary>
    private static DomainError? CheckSafety(string sql, IReadOnlyList<Placeholder> placeholders)
    {
        var rewritten = Rewrite(sql, placeholders);
        var verdict = SqlSafety.Check(rewritten.Sql);
        if (verdict.IsAllowed || verdict.Error is null)
        {
            return null;
        }

        var position = verdict.Position ?? 0;
        var length = position >= rewritten.Sql.Length ? 0 : verdict.Token?.Length ?? 0;
        var (originalPosition, originalLength) = rewritten.ToOriginal(position, length);
        return SqlVerdict.Refused(verdict.Error, sql, originalPosition, originalLength).Reason;
    }

    private static object? ValueOf(string key, Dictionary<string, object?> typed)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return typed[key];
        }

        var range = typed[key[..dot]] as DateRange?;
        return key[(dot + 1)..] == "start" ? range?.Start : range?.End;
    }

    private static string Field(int index, string name) => string.Create(CultureInfo.InvariantCulture, $"parameters[{index}].{name}");

    private static Rewritten Rewrite(string sql, IReadOnlyList<Placeholder> placeholders)
    {
        var builder = new StringBuilder(sql.Length);
        var keys = new List<string>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var segments = new List<SqlSourceMap.Segment>();
        var last = 0;
        foreach (var placeholder in placeholders)
        {
            builder.Append(sql, last, placeholder.Position - last);
            if (!numbers.TryGetValue(placeholder.Key, out var number))
            {
                keys.Add(placeholder.Key);
                number = keys.Count;
                numbers[placeholder.Key] = number;
            }

            var end = placeholder.Position + placeholder.Length;
            var spaceBefore = builder.Length > 0 && RunsOn(builder[^1]);
            var spaceAfter = end < sql.Length && RunsOn(sql[end]);
            var start = builder.Length;
            builder.Append(spaceBefore ? " $" : "$").Append(number.ToString(CultureInfo.InvariantCulture));
            if (spaceAfter)
            {
                builder.Append(' ');
            }

            segments.Add(new SqlSourceMap.Segment(placeholder.Position, placeholder.Length, start, builder.Length - start));
            last = end;
        }

        builder.Append(sql, last, sql.Length - last);
        return new Rewritten(builder.ToString(), keys, new SqlSourceMap(segments));
    }

    /// <summary>Characters PostgreSQL would read as part of <c>$n</c> or of a word next to it: letters, digits, '_', '$', non-ASCII.</summary>
    private static bool RunsOn(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or >= '\u0080';

    private sealed record Rewritten(string Sql, IReadOnlyList<string> Keys, SqlSourceMap Map)
    {
        public (int Position, int Length) ToOriginal(int position, int length) => Map.ToOriginal(position, length);
    }
}
