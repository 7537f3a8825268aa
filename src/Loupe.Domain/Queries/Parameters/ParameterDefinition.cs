using System.Globalization;
using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// One parameter of a saved query: the name its placeholders use, its type, an optional title for
/// forms, whether a run must give a value (true unless said otherwise), an optional default of the
/// parameter's type, and for <see cref="ParameterType.Enum"/> the options a value must be one of.
/// Values always travel as database parameters, never as SQL text.
/// </summary>
public sealed class ParameterDefinition : IEquatable<ParameterDefinition>
{
    public const int NameMaxLength = 64;
    public const int TitleMaxLength = 255;
    public const int MaxOptions = 100;
    public const int OptionMaxLength = 255;

    private readonly string[] _options;

    private ParameterDefinition(string name, ParameterType type, string? title, bool required, ParameterValue? defaultValue, string[] options)
    {
        Name = name;
        Type = type;
        Title = title;
        Required = required;
        Default = defaultValue;
        _options = options;
    }

    /// <summary>Case-sensitive, as placeholders are matched; unique in a query regardless of case.</summary>
    public string Name { get; }

    public ParameterType Type { get; }

    public string? Title { get; }

    /// <summary>A run without a value (and without a default) is refused.</summary>
    public bool Required { get; }

    /// <summary>Used when a run gives no value; already checked against the type.</summary>
    public ParameterValue? Default { get; }

    /// <summary>The allowed values of an enum parameter; empty for every other type.</summary>
    public IReadOnlyList<string> Options => _options;

    /// <summary>A valid definition, or the first broken rule.</summary>
    public static ParameterDefinition Create(
        string? name, ParameterType type, string? title = null, bool required = true, ParameterValue? defaultValue = null, IReadOnlyList<string>? options = null)
    {
        var errors = Check(name, type, title, defaultValue, options, "parameters[0]");
        if (errors.Count > 0)
        {
            throw new DomainException(errors[0]);
        }

        return new ParameterDefinition(name!, type, string.IsNullOrWhiteSpace(title) ? null : title.Trim(), required, Canonical(defaultValue), [.. options ?? []]);
    }

    /// <summary>
    /// Every broken rule of a definition (empty when valid), reported under
    /// <paramref name="field"/> (<c>parameters[2]</c>) for field-level answers.
    /// </summary>
    public static IReadOnlyList<DomainError> Check(
        string? name, ParameterType type, string? title, ParameterValue? defaultValue, IReadOnlyList<string>? options, string field)
    {
        var errors = new List<DomainError>();
        if (!IsName(name))
        {
            errors.Add(ParameterErrors.NameInvalid($"{field}.name"));
        }

        if (!Enum.IsDefined(type))
        {
            errors.Add(ParameterErrors.TypeUnknown($"{field}.type"));
            return errors;
        }

        if (title is { } text && (text.Trim().Length > TitleMaxLength || text.Contains('\0', StringComparison.Ordinal)))
        {
            errors.Add(ParameterErrors.TitleTooLong($"{field}.title"));
        }

        var optionList = options ?? [];
        if (type == ParameterType.Enum)
        {
            if (optionList.Count is 0 or > MaxOptions)
            {
                errors.Add(ParameterErrors.OptionsRequired($"{field}.options"));
            }
            else if (optionList.Any(o => string.IsNullOrEmpty(o) || o.Length > OptionMaxLength || o.Contains('\0', StringComparison.Ordinal))
                     || optionList.Distinct(StringComparer.Ordinal).Count() != optionList.Count)
            {
                errors.Add(ParameterErrors.OptionInvalid($"{field}.options"));
            }
        }
        else if (optionList.Count > 0)
        {
            errors.Add(ParameterErrors.OptionsNotAllowed($"{field}.options"));
        }

        if (defaultValue is not null && errors.Count == 0
            && ParameterValues.Convert(type, optionList, defaultValue) is { Problem: { } problem })
        {
            errors.Add(ParameterErrors.DefaultInvalid($"{field}.default", problem));
        }

        return errors;
    }

    /// <summary>
    /// A number default in one spelling (<c>1e2</c> becomes <c>100</c>), the one PostgreSQL's
    /// <c>jsonb</c> gives back, so a definition read back from storage equals the one saved.
    /// </summary>
    private static ParameterValue? Canonical(ParameterValue? value) =>
        value is NumberValue number && decimal.TryParse(number.Literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? ParameterValue.OfNumber(parsed.ToString(CultureInfo.InvariantCulture))
            : value;

    /// <summary>A letter or '_', then letters, digits or '_' (ASCII), at most <see cref="NameMaxLength"/> characters.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= NameMaxLength }
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public bool Equals(ParameterDefinition? other) =>
        other is not null
        && Name == other.Name
        && Type == other.Type
        && Title == other.Title
        && Required == other.Required
        && Equals(Default, other.Default)
        && _options.AsSpan().SequenceEqual(other._options);

    public override bool Equals(object? obj) => Equals(obj as ParameterDefinition);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Title, Required, Default, _options.Length);

    public override string ToString() => $"{Name}: {Type.ToName()}";
}
