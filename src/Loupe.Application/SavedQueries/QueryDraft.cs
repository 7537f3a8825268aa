using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Application.SavedQueries;

/// <summary>
/// A query's SQL and parameter definitions checked as saving checks them, without saving: definitions
/// well-formed, placeholders written rightly and matching the definitions (each used), and the SQL
/// safety check, with positions in the SQL as written. Used by ad-hoc runs and <c>POST /queries/validate</c>.
/// </summary>
internal static class QueryDraft
{
    /// <summary>Every problem of the draft (empty when saving would take it), and the definitions when they are well-formed.</summary>
    public static IReadOnlyList<DomainError> Findings(string sql, IReadOnlyList<ParameterDefinitionInput?>? inputs, out IReadOnlyList<ParameterDefinition>? definitions)
    {
        var input = new SavedQueryInput();
        definitions = input.Definitions(inputs ?? []);
        input.Sql(sql, definitions);
        return input.Errors;
    }

    /// <summary>The draft's definitions; every problem at once as a 400 otherwise.</summary>
    /// <param name="definitionsField">The body's name for the definitions, in place of <c>parameters</c>.</param>
    /// <exception cref="Common.Exceptions.ValidationFailedException">The draft breaks a rule.</exception>
    public static IReadOnlyList<ParameterDefinition> Check(string sql, IReadOnlyList<ParameterDefinitionInput?>? inputs, string definitionsField)
    {
        var input = new SavedQueryInput();
        var definitions = input.Definitions(inputs ?? []);
        input.Sql(sql, definitions);
        input.ThrowIfAny(field => field.StartsWith("parameters[", StringComparison.Ordinal) || field == "parameters"
            ? definitionsField + field["parameters".Length..]
            : field);
        return definitions!;
    }
}
