using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Mapster;
using MediatR;

namespace Loupe.Application.DataSources.Commands.CreateDataSource;

/// <summary>
/// Adds a data source from a connection string or from settings (one of the two). The password is
/// encrypted at once and never answered; a name already used in the organization is a conflict. A
/// privileged database account is refused unless <c>allow_privileged_account</c> is true (audited).
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record CreateDataSourceCommand(
    string? Name,
    string? Type,
    string? ConnectionString = null,
    DataSourceSettingsInput? Settings = null,
    int? QueryTimeoutSeconds = null,
    int? MaxRows = null,
    bool? AllowPrivilegedAccount = null) : IRequest<Versioned<DataSourceDto>>
{
    /// <summary>Never the connection string or the password.</summary>
    public override string ToString() => $"CreateDataSourceCommand {{ Name = {Name}, Type = {Type} }}";
}

internal sealed class CreateDataSourceCommandValidator : AbstractValidator<CreateDataSourceCommand>
{
    public CreateDataSourceCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(DataSource.NameMaxLength);
        RuleFor(c => c.Type).Must(type => DataSourceTypes.Parse(type) is not null)
            .WithMessage($"The type is {DataSourceTypes.Postgresql} or {DataSourceTypes.Sqlite}.");
        RuleFor(c => c).Must(c => (c.ConnectionString is null) != (c.Settings is null))
            .WithName("body").WithMessage("Give either a connection_string or settings, not both.");
    }
}

internal sealed class CreateDataSourceCommandHandler(
    ITenantScope tenant,
    IRepository<DataSource> dataSources,
    IDataSourceConnectors connectors,
    HostPolicy hostPolicy,
    IHostResolver hostResolver,
    DataSourceLimits limits,
    ISecretProtector protector,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TypeAdapterConfig mapping,
    TimeProvider clock) : IRequestHandler<CreateDataSourceCommand, Versioned<DataSourceDto>>
{
    public async Task<Versioned<DataSourceDto>> Handle(CreateDataSourceCommand request, CancellationToken cancellationToken)
    {
        var type = DataSourceTypes.Parse(request.Type)!.Value;
        var (settings, password) = request.ConnectionString is not null
            ? ConnectionInput.FromConnectionString(connectors, type, request.ConnectionString)
            : (ConnectionInput.FromSettings(type, request.Settings!), request.Settings!.Password);
        var organizationId = tenant.RequiredOrganizationId();
        var dataSource = DataSource.Create(
            Guid.CreateVersion7(),
            organizationId,
            request.Name!,
            settings,
            string.IsNullOrEmpty(password) ? null : protector.Protect(password),
            limits,
            clock.GetUtcNow(),
            request.QueryTimeoutSeconds,
            request.MaxRows,
            request.AllowPrivilegedAccount ?? false);
        await DataSourceHostCheck.EnsureAllowedAsync(hostPolicy, hostResolver, settings, cancellationToken).ConfigureAwait(false);
        await PrivilegedAccountCheck.EnsureAllowedAsync(
            connectors,
            new ConnectionTarget(dataSource.Id, settings, string.IsNullOrEmpty(password) ? null : password, dataSource.AllowPrivilegedAccount),
            cancellationToken).ConfigureAwait(false);
        dataSources.Add(dataSource);
        audit.Record(AuditActions.DataSourceCreated, new AuditTarget("datasource", dataSource.Id));
        if (dataSource.AllowPrivilegedAccount)
        {
            audit.Record(AuditActions.DataSourcePrivilegedAccountAllowed, new AuditTarget("datasource", dataSource.Id));
        }
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (conflict.Code == ErrorCodes.Duplicate)
        {
            throw new DomainException(DataSourceErrors.NameTaken(dataSource.Name), conflict);
        }

        return dataSource.Adapt<Versioned<DataSourceDto>>(mapping);
    }
}
