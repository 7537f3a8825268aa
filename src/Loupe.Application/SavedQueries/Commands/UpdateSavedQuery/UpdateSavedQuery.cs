using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.UpdateSavedQuery;

/// <summary>
/// Changes a saved query; fields left out stay as they are. A new SQL text or new parameters are
/// checked together with the other one and recorded as a new version. <c>description: ""</c>
/// removes the description, <c>timeout_seconds: 0</c> goes back to the data source's timeout. An
/// archived query cannot be changed (409); a stale <c>If-Match</c> is a 412.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record UpdateSavedQueryCommand(
    Guid Id,
    string? Name = null,
    string? Description = null,
    string? Sql = null,
    Guid? DatasourceId = null,
    IReadOnlyList<ParameterDefinitionInput?>? Parameters = null,
    IReadOnlyList<string?>? Tags = null,
    int? TimeoutSeconds = null,
    VersionPrecondition? IfMatch = null) : IRequest<Versioned<SavedQueryDto>>;

/// <summary>The body of PATCH /queries/{id}.</summary>
public sealed record UpdateSavedQueryRequest(
    string? Name = null,
    string? Description = null,
    string? Sql = null,
    Guid? DatasourceId = null,
    IReadOnlyList<ParameterDefinitionInput?>? Parameters = null,
    IReadOnlyList<string?>? Tags = null,
    int? TimeoutSeconds = null)
{
    public UpdateSavedQueryCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(id, Name, Description, Sql, DatasourceId, Parameters, Tags, TimeoutSeconds, ifMatch);
}

internal sealed class UpdateSavedQueryCommandValidator : AbstractValidator<UpdateSavedQueryCommand>
{
    public UpdateSavedQueryCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(SavedQuery.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Description).MaximumLength(SavedQuery.DescriptionMaxLength);
        RuleFor(c => c.Sql).NotEmpty().MaximumLength(SavedQuery.SqlMaxLength).When(c => c.Sql is not null);
        RuleFor(c => c.DatasourceId).NotEmpty().When(c => c.DatasourceId is not null);
        RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(Domain.Queries.Parameters.QueryParameters.MaxDefinitions)
            .When(c => c.Parameters is not null).OverridePropertyName("parameters");
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.Description is not null || c.Sql is not null || c.DatasourceId is not null
                       || c.Parameters is not null || c.Tags is not null || c.TimeoutSeconds is not null)
            .WithName("body").WithMessage("Give a name, description, sql, datasource_id, parameters, tags or timeout_seconds to change.");
    }
}

internal sealed class UpdateSavedQueryCommandHandler(
    ICurrentUser currentUser,
    IRepository<SavedQuery> queries,
    IRepository<DataSource> dataSources,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<UpdateSavedQueryCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(UpdateSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        request.IfMatch?.Check(query.RowVersion);
        if (query.IsArchived)
        {
            throw new DomainException(SavedQueryErrors.Archived);
        }

        var input = new SavedQueryInput();
        var definitions = request.Parameters is null ? query.Parameters : input.Definitions(request.Parameters);
        var sql = request.Sql ?? query.Sql;
        if (request.Sql is not null || request.Parameters is not null)
        {
            input.Sql(sql, definitions);
        }

        if (request.Tags is not null)
        {
            input.Tags(request.Tags);
        }

        DataSource? dataSource = null;
        int? timeout = null;
        if (request.DatasourceId is not null || request.TimeoutSeconds is not null)
        {
            dataSource = await input.DataSourceAsync(dataSources, request.DatasourceId ?? query.DataSourceId, cancellationToken).ConfigureAwait(false);
            timeout = input.Timeout(request.TimeoutSeconds ?? query.TimeoutSeconds, dataSource);
        }

        input.ThrowIfAny();
        if (request.Name is not null)
        {
            query.Rename(request.Name, now);
        }

        if (request.Description is not null)
        {
            query.Describe(request.Description, now);
        }

        if (request.Tags is not null)
        {
            query.Retag(request.Tags, now);
        }

        if (request.Sql is not null || request.Parameters is not null)
        {
            query.Revise(sql, definitions!, currentUser.UserId, now);
        }

        if (dataSource is not null)
        {
            query.ChangeDataSource(dataSource, timeout, now);
        }

        audit.Record(AuditActions.QueryUpdated, new AuditTarget("query", query.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<SavedQueryDto>(SavedQueryDto.From(query), query.RowVersion);
    }
}
