namespace Loupe.Domain.Canvases;

/// <summary>The wire names of <see cref="TimePresetKind"/> (snake_case, as the API and the table spell them).</summary>
public static class TimePresetKinds
{
    private static readonly Dictionary<string, TimePresetKind> ByName = new(StringComparer.Ordinal)
    {
        ["last_15_minutes"] = TimePresetKind.Last15Minutes,
        ["last_hour"] = TimePresetKind.LastHour,
        ["last_24_hours"] = TimePresetKind.Last24Hours,
        ["last_7_days"] = TimePresetKind.Last7Days,
        ["last_30_days"] = TimePresetKind.Last30Days,
        ["this_month"] = TimePresetKind.ThisMonth,
        ["custom"] = TimePresetKind.Custom,
    };

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    /// <summary>The longest wire name.</summary>
    public static int MaxLength { get; } = ByName.Keys.Max(name => name.Length);

    public static string WireName(this TimePresetKind kind) =>
        ByName.FirstOrDefault(pair => pair.Value == kind).Key ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a time preset.");

    /// <summary>The kind a wire name stands for (exact, lower case), or false.</summary>
    public static bool TryParse(string? name, out TimePresetKind kind) => ByName.TryGetValue(name ?? string.Empty, out kind);
}

/// <summary>The wire names of <see cref="CanvasNodeType"/> (lower case, as the API spells them).</summary>
public static class CanvasNodeTypes
{
    private static readonly Dictionary<string, CanvasNodeType> ByName = new(StringComparer.Ordinal)
    {
        ["query"] = CanvasNodeType.Query,
        ["visualization"] = CanvasNodeType.Visualization,
        ["text"] = CanvasNodeType.Text,
        ["filter"] = CanvasNodeType.Filter,
    };

    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    public static string WireName(this CanvasNodeType type) =>
        ByName.FirstOrDefault(pair => pair.Value == type).Key ?? throw new ArgumentOutOfRangeException(nameof(type), type, "Not a canvas node type.");

    /// <summary>The type a wire name stands for (exact, lower case), or false.</summary>
    public static bool TryParse(string? name, out CanvasNodeType type) => ByName.TryGetValue(name ?? string.Empty, out type);
}
