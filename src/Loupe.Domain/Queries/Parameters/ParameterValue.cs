namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// A parameter value as a client sent it, before it is checked against its definition: the shapes
/// of JSON that parameters use, without depending on a JSON library. A missing value or JSON
/// <c>null</c> is a C# <c>null</c>. The API turns JSON into these (see the application's
/// <c>ParameterJson</c>); <see cref="QueryParameters.Bind"/> turns them into typed values.
/// </summary>
public abstract record ParameterValue
{
    private protected ParameterValue()
    {
    }

    public static ParameterValue OfText(string value) => new TextValue(value);

    /// <param name="literal">A JSON number as written (<c>42</c>, <c>-1.5e3</c>).</param>
    public static ParameterValue OfNumber(string literal) => new NumberValue(literal);

    public static ParameterValue OfBoolean(bool value) => new BooleanValue(value);

    public static ParameterValue OfRange(ParameterValue? start, ParameterValue? end) => new RangeValue(start, end);

    /// <param name="shape">What was sent instead (<c>array</c>, <c>object</c>), for the error message.</param>
    public static ParameterValue Unsupported(string shape) => new UnsupportedValue(shape);
}

/// <summary>A JSON string.</summary>
public sealed record TextValue(string Value) : ParameterValue;

/// <summary>A JSON number, kept as its literal so that no precision is lost before the parameter's type decides.</summary>
public sealed record NumberValue(string Literal) : ParameterValue;

/// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
public sealed record BooleanValue(bool Value) : ParameterValue;

/// <summary>A JSON object <c>{"start": …, "end": …}</c>, the value of a date range.</summary>
public sealed record RangeValue(ParameterValue? Start, ParameterValue? End) : ParameterValue;

/// <summary>Any other JSON shape (an array, an object of other keys): no parameter type takes it.</summary>
public sealed record UnsupportedValue(string Shape) : ParameterValue;
