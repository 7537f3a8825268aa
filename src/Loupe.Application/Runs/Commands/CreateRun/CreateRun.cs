using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.SavedQueries;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries.Parameters;
using Loupe.Domain.Runs;
using MediatR;

namespace Loupe.Application.Runs.Commands.CreateRun;

/// <summary>
/// Runs ad-hoc SQL on a data source in the background (editors and admins): the editor's draft, which
/// may have <c>{{ placeholders }}</c> with <c>parameter_definitions</c> (the shape of a saved query's
/// <c>parameters</c>) and <c>parameters</c> (values by name, the shape of a saved query run's). The
/// draft is checked as saving would check it, then bound exactly as a saved query's run is. With
/// <c>max_age_seconds</c>, an earlier result of the same data source, SQL and values that finished at
/// most that long ago is answered instead (<c>from_cache: true</c>).
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateRunCommand(
    Guid? DatasourceId,
    string? Sql,
    int? TimeoutSeconds = null,
    int? MaxAgeSeconds = null,
    IReadOnlyList<ParameterDefinitionInput?>? ParameterDefinitions = null,
    IReadOnlyDictionary<string, JsonElement>? Parameters = null) : IRequest<RunDto>
{
    /// <summary>Never the SQL (it may hold literals a person typed) nor the values.</summary>
    public override string ToString() => $"CreateRunCommand {{ DatasourceId = {DatasourceId} }}";
}

internal sealed class CreateRunCommandValidator : AbstractValidator<CreateRunCommand>
{
    public CreateRunCommandValidator()
    {
        RuleFor(c => c.DatasourceId).NotEmpty();
        RuleFor(c => c.Sql).NotEmpty().MaximumLength(QueryRun.SqlMaxLength);
        RuleFor(c => c.MaxAgeSeconds).InclusiveBetween(0, QueryRun.MaxCacheAgeSeconds).WithMessage(RunErrors.MaxAgeOutOfRange.Message)
            .When(c => c.MaxAgeSeconds is not null);
        RuleFor(c => c.ParameterDefinitions!.Count).LessThanOrEqualTo(QueryParameters.MaxDefinitions)
            .When(c => c.ParameterDefinitions is not null).OverridePropertyName("parameter_definitions");
    }
}

internal sealed class CreateRunCommandHandler(IRepository<DataSource> dataSources, RunQueue queue) : IRequestHandler<CreateRunCommand, RunDto>
{
    public async Task<RunDto> Handle(CreateRunCommand request, CancellationToken cancellationToken)
    {
        var definitions = QueryDraft.Check(request.Sql!, request.ParameterDefinitions, definitionsField: "parameter_definitions");
        var dataSource = await dataSources.FindAsync(request.DatasourceId!.Value, cancellationToken).ConfigureAwait(false)
            ?? throw new ValidationFailedException(new Dictionary<string, string[]> { ["datasource_id"] = ["No data source with this id exists in the organization."] });
        var bound = RunBinding.Bind(request.Sql!, definitions, request.Parameters);
        return await queue.QueueAsync(
            new RunQueue.Request(dataSource, null, bound, request.TimeoutSeconds, request.MaxAgeSeconds), cancellationToken).ConfigureAwait(false);
    }
}
