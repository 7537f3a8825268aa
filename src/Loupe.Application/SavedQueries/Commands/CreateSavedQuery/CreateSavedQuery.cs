using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.CreateSavedQuery;

/// <summary>
/// Saves a new query, owned by the caller, as version 1. Its SQL must pass the safety check and its
/// placeholders must match its parameters; <c>timeout_seconds</c> (0 or absent: the data source's)
/// is at most the data source's.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record CreateSavedQueryCommand(
    string? Name,
    string? Sql,
    Guid DatasourceId,
    string? Description = null,
    IReadOnlyList<ParameterDefinitionInput?>? Parameters = null,
    IReadOnlyList<string?>? Tags = null,
    int? TimeoutSeconds = null) : IRequest<Versioned<SavedQueryDto>>;

internal sealed class CreateSavedQueryCommandValidator : AbstractValidator<CreateSavedQueryCommand>
{
    public CreateSavedQueryCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(SavedQuery.NameMaxLength);
        RuleFor(c => c.Description).MaximumLength(SavedQuery.DescriptionMaxLength);
        RuleFor(c => c.Sql).NotEmpty().MaximumLength(SavedQuery.SqlMaxLength);
        RuleFor(c => c.DatasourceId).NotEmpty();
        RuleFor(c => c.Parameters!.Count).LessThanOrEqualTo(Domain.Queries.Parameters.QueryParameters.MaxDefinitions)
            .When(c => c.Parameters is not null).OverridePropertyName("parameters");
    }
}

internal sealed class CreateSavedQueryCommandHandler(
    ITenantScope tenant,
    ICurrentUser currentUser,
    IRepository<SavedQuery> queries,
    IRepository<DataSource> dataSources,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateSavedQueryCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(CreateSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var organizationId = tenant.RequiredOrganizationId();
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A query is owned by a user.");
        var input = new SavedQueryInput();
        var definitions = input.Definitions(request.Parameters ?? []);
        input.Sql(request.Sql!, definitions);
        input.Tags(request.Tags ?? []);
        var dataSource = await input.DataSourceAsync(dataSources, request.DatasourceId, cancellationToken).ConfigureAwait(false);
        var timeout = input.Timeout(request.TimeoutSeconds, dataSource);
        input.ThrowIfAny();

        var now = clock.GetUtcNow();
        var query = SavedQuery.Create(
            Guid.CreateVersion7(now),
            organizationId,
            ownerId,
            request.Name!,
            request.Description,
            request.Sql!,
            definitions!,
            request.Tags,
            dataSource!,
            timeout,
            now);
        queries.Add(query);
        audit.Record(AuditActions.QueryCreated, new AuditTarget("query", query.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<SavedQueryDto>(SavedQueryDto.From(query), query.RowVersion);
    }
}
