using Loupe.Domain.Common;

namespace Loupe.Domain.Queries.Parameters;

/// <summary>
/// Why parameters or their values were refused. Definition errors name the definition's place in
/// the list (<c>parameters[2].type</c>); placeholder errors name <c>sql</c> and the position; value
/// errors name the parameter (<c>parameters.start_date</c>).
/// </summary>
public static class ParameterErrors
{
    public static readonly DomainError TooMany = DomainError.Validation(
        "parameter.too_many", "parameters", $"A query has at most {QueryParameters.MaxDefinitions} parameters.");

    public static readonly DomainError PositionalParameter = DomainError.Validation(
        "parameter.positional", "sql", "Use {{ name }} placeholders: $1-style parameters are reserved for the values Loupe sends.");

    /// <summary>An entry of the parameters array is null instead of an object.</summary>
    public static DomainError Missing(string field) => DomainError.Validation(
        "parameter.missing", field, "A parameter is an object with a name and a type.");

    public static DomainError NameInvalid(string field) => DomainError.Validation(
        "parameter.name_invalid",
        field,
        $"A parameter name starts with a letter or '_', then letters, digits or '_'; at most {ParameterDefinition.NameMaxLength} characters.");

    public static DomainError NameDuplicate(string field, string name) => DomainError.Validation(
        "parameter.name_duplicate", field, $"Another parameter is already named '{name}' (names are compared ignoring case).");

    public static DomainError TypeUnknown(string field) => DomainError.Validation(
        "parameter.type_unknown", field, $"The type is one of {string.Join(", ", ParameterTypes.Names)}.");

    public static DomainError TitleTooLong(string field) => DomainError.Validation(
        "parameter.title_too_long", field, $"A title has at most {ParameterDefinition.TitleMaxLength} characters and no NUL.");

    public static DomainError OptionsRequired(string field) => DomainError.Validation(
        "parameter.options_required", field, $"An enum parameter lists 1 to {ParameterDefinition.MaxOptions} options.");

    public static DomainError OptionsNotAllowed(string field) => DomainError.Validation(
        "parameter.options_not_allowed", field, "Only an enum parameter has options.");

    public static DomainError OptionInvalid(string field) => DomainError.Validation(
        "parameter.option_invalid", field, $"Each option is 1 to {ParameterDefinition.OptionMaxLength} characters without NUL, and no option is listed twice.");

    public static DomainError DefaultInvalid(string field, string problem) => DomainError.Validation(
        "parameter.default_invalid", field, $"The default does not fit the parameter: {problem}");

    public static DomainError NeverUsed(string field, string name) => DomainError.Validation(
        "parameter.never_used", field, $"The parameter '{name}' is never used in the SQL: add {{{{ {name} }}}} to it, or remove the parameter.");

    public static DomainError PlaceholderMalformed(string where) => DomainError.Validation(
        "parameter.placeholder_malformed",
        "sql",
        $"A placeholder is written {{{{ name }}}}, with a name of letters, digits and '_' (a date range: {{{{ name.start }}}} and {{{{ name.end }}}}). Found {where}.");

    public static DomainError PlaceholderUnknown(string name, string where) => DomainError.Validation(
        "parameter.placeholder_unknown", "sql", $"The placeholder {{{{ {name} }}}} has no parameter: add a parameter named '{name}', or remove it. Found {where}.");

    public static DomainError RangeNeedsPart(string name, string where) => DomainError.Validation(
        "parameter.range_needs_part", "sql", $"'{name}' is a date range: use {{{{ {name}.start }}}} and {{{{ {name}.end }}}}. Found {where}.");

    public static DomainError PartOfNonRange(string name, string where) => DomainError.Validation(
        "parameter.part_of_non_range", "sql", $"Only a date range has .start and .end; use {{{{ {name} }}}}. Found {where}.");

    public static DomainError ValueRequired(string name) => DomainError.Validation(
        "parameter.value_required", ValueField(name), $"A value for '{name}' is required.");

    public static DomainError ValueInvalid(string name, string problem) => DomainError.Validation(
        "parameter.value_invalid", ValueField(name), problem);

    public static DomainError ValueUnknown(string name) => DomainError.Validation(
        "parameter.value_unknown", ValueField(name), $"This query has no parameter named '{name}'.");

    /// <summary>The field a value error is reported under: <c>parameters.&lt;name&gt;</c>.</summary>
    public static string ValueField(string name) => $"parameters.{name}";
}
