namespace Loupe.Application.Common.Connectors;

/// <summary>
/// The one spelling of a column's type across the schema, result pages and exports (ADR 0044): as
/// PostgreSQL's <c>format_type</c> writes it, without a space after a comma of a type modifier
/// (<c>numeric(12,2)</c>, where Npgsql reports <c>numeric(12, 2)</c>). Nothing else of the name changes.
/// </summary>
public static class ColumnTypeName
{
    public static string Canonical(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (!typeName.Contains(", ", StringComparison.Ordinal))
        {
            return typeName;
        }

        var text = new System.Text.StringBuilder(typeName.Length);
        var depth = 0;
        for (var i = 0; i < typeName.Length; i++)
        {
            var c = typeName[i];
            depth += c switch
            {
                '(' => 1,
                ')' when depth > 0 => -1,
                _ => 0,
            };
            text.Append(c);
            if (c == ',' && depth > 0)
            {
                while (i + 1 < typeName.Length && typeName[i + 1] == ' ')
                {
                    i++;
                }
            }
        }

        return text.ToString();
    }
}
