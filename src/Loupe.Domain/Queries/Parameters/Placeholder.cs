namespace Loupe.Domain.Queries.Parameters;

/// <summary>Which part of a parameter a placeholder stands for: all of it, or a date range's start or end.</summary>
public enum PlaceholderPart
{
    Whole,
    Start,
    End,
}

/// <summary>One <c>{{ name }}</c> (or <c>{{ name.start }}</c>, <c>{{ name.end }}</c>) in a SQL text, where it starts and how long it is.</summary>
public readonly record struct Placeholder(string Name, PlaceholderPart Part, int Position, int Length)
{
    /// <summary>What the placeholder binds: <c>name</c>, <c>name.start</c> or <c>name.end</c>.</summary>
    public string Key => Part switch
    {
        PlaceholderPart.Start => Name + ".start",
        PlaceholderPart.End => Name + ".end",
        _ => Name,
    };
}
