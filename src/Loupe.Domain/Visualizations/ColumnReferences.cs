namespace Loupe.Domain.Visualizations;

/// <summary>A setting that names a result column: where it is (<c>options.series[0].column</c>) and the column.</summary>
public sealed record ColumnReference(string Path, string Column);

/// <summary>
/// The result columns a visualization's options name, and those a result does not have. Writing a
/// visualization refuses missing ones (<see cref="VisualizationErrors.UnknownColumn"/>); reading one
/// whose query has since changed its columns serves it with these as warnings instead.
/// Column names are compared exactly, as the database returns them.
/// </summary>
public static class ColumnReferences
{
    /// <summary>Every column reference in the options, in document order.</summary>
    public static IReadOnlyList<ColumnReference> Of(VisualizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string root = VisualizationOptionsParser.Root;
        var references = new List<ColumnReference>();
        switch (options)
        {
            case ChartOptions chart:
                references.Add(new($"{root}.x_column", chart.XColumn));
                references.AddRange(chart.Series.Select((series, i) => new ColumnReference($"{root}.series[{i}].column", series.Column)));
                break;
            case PieOptions pie:
                references.Add(new($"{root}.value_column", pie.ValueColumn));
                references.Add(new($"{root}.label_column", pie.LabelColumn));
                break;
            case CounterOptions counter:
                references.Add(new($"{root}.value_column", counter.ValueColumn));
                if (counter.TargetColumn is not null)
                {
                    references.Add(new($"{root}.target_column", counter.TargetColumn));
                }

                break;
            case PivotOptions pivot:
                references.AddRange(pivot.Rows.Select((column, i) => new ColumnReference($"{root}.rows[{i}]", column)));
                references.AddRange(pivot.Columns.Select((column, i) => new ColumnReference($"{root}.columns[{i}]", column)));
                references.AddRange(pivot.Values.Select((value, i) => new ColumnReference($"{root}.values[{i}].column", value.Column)));
                break;
            case TableOptions table:
                references.AddRange(table.Columns.Select((column, i) => new ColumnReference($"{root}.columns[{i}].column", column.Column)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.GetType().Name, "Unknown options type.");
        }

        return references;
    }

    /// <summary>The references naming a column that is not among <paramref name="resultColumns"/>; never throws on valid options.</summary>
    public static IReadOnlyList<ColumnReference> Missing(VisualizationOptions options, IEnumerable<string> resultColumns)
    {
        ArgumentNullException.ThrowIfNull(resultColumns);
        var present = new HashSet<string>(resultColumns, StringComparer.Ordinal);
        return [.. Of(options).Where(reference => !present.Contains(reference.Column))];
    }
}
