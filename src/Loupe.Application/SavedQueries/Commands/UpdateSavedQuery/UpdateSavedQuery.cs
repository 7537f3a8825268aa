using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
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
    VersionPrecondition? IfMatch = null,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<SavedQueryDto>>;

/// <summary>
/// The body of PATCH /queries/{id}, a JSON Merge Patch: <c>null</c> resets <c>description</c> (none),
/// <c>parameters</c> and <c>tags</c> (empty) and <c>timeout_seconds</c> (the data source's); <c>name</c>,
/// <c>sql</c> and <c>datasource_id</c> cannot be reset.
/// </summary>
public sealed class UpdateSavedQueryRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? Description { get; init => field = Sent(value); }

    public string? Sql { get; init => field = Sent(value); }

    public Guid? DatasourceId { get; init => field = Sent(value); }

    public IReadOnlyList<ParameterDefinitionInput?>? Parameters { get; init => field = Sent(value); }

    public IReadOnlyList<string?>? Tags { get; init => field = Sent(value); }

    public int? TimeoutSeconds { get; init => field = Sent(value); }

    /// <summary>The command, with a reset written as the value that means "the default" to it.</summary>
    public UpdateSavedQueryCommand ToCommand(Guid id, VersionPrecondition? ifMatch) =>
        new(
            id,
            Name,
            IsReset(nameof(Description), Description) ? string.Empty : Description,
            Sql,
            DatasourceId,
            IsReset(nameof(Parameters), Parameters) ? [] : Parameters,
            IsReset(nameof(Tags), Tags) ? [] : Tags,
            IsReset(nameof(TimeoutSeconds), TimeoutSeconds) ? 0 : TimeoutSeconds,
            ifMatch,
            RequiredReset(string.Empty, (nameof(Name), Name), (nameof(Sql), Sql), (nameof(DatasourceId), DatasourceId)));
}

internal sealed class UpdateSavedQueryCommandValidator : AbstractValidator<UpdateSavedQueryCommand>
{
    public UpdateSavedQueryCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
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
        query.EnsureActive();

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
