using FluentValidation;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;
using MediatR;

namespace Loupe.Application.SavedQueries.Queries.ValidateQueryDraft;

/// <summary>
/// Checks a query's draft (SQL and parameter definitions, the shape of <c>POST /queries</c>) as saving
/// or an ad-hoc run would, without saving or running anything (editors and admins). The findings are
/// the answer (200), valid or not; only a request that is not a draft (no SQL, too long) is a 400.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ValidateQueryDraftQuery(string? Sql, IReadOnlyList<ParameterDefinitionInput?>? Parameters = null) : IRequest<QueryDraftFindingsDto>
{
    /// <summary>Never the SQL.</summary>
    public override string ToString() => "ValidateQueryDraftQuery";
}

/// <summary>
/// What is wrong with a draft (nothing when <c>valid</c>), and the distinct placeholder names
/// its SQL uses, in order of first use (a date range's <c>r.start</c> and <c>r.end</c> are <c>r</c>).
/// </summary>
public sealed record QueryDraftFindingsDto(bool Valid, IReadOnlyList<QueryDraftProblemDto> Problems, IReadOnlyList<string> Placeholders);

/// <summary>One broken rule: its stable code, the body field it concerns and a plain message (with the line and column in the SQL when it has one).</summary>
public sealed record QueryDraftProblemDto(string Code, string Field, string Message);

internal sealed class ValidateQueryDraftQueryValidator : AbstractValidator<ValidateQueryDraftQuery>
{
    public ValidateQueryDraftQueryValidator()
    {
        RuleFor(c => c.Sql).NotEmpty().MaximumLength(SavedQuery.SqlMaxLength);
        RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(QueryParameters.MaxDefinitions)
            .When(c => c.Parameters is not null).OverridePropertyName("parameters");
    }
}

internal sealed class ValidateQueryDraftQueryHandler : IRequestHandler<ValidateQueryDraftQuery, QueryDraftFindingsDto>
{
    public Task<QueryDraftFindingsDto> Handle(ValidateQueryDraftQuery request, CancellationToken cancellationToken)
    {
        var problems = QueryDraft.Findings(request.Sql!, request.Parameters, out _)
            .Select(error => new QueryDraftProblemDto(error.Code, error.Field ?? "sql", error.Message))
            .ToList();
        var placeholders = SqlPlaceholders.Find(request.Sql!).Placeholders.Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
        return Task.FromResult(new QueryDraftFindingsDto(problems.Count == 0, problems, placeholders));
    }
}
