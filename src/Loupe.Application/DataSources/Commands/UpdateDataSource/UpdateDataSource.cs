using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Patching;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Mapster;
using MediatR;

namespace Loupe.Application.DataSources.Commands.UpdateDataSource;

/// <summary>
/// Changes a data source; fields left out stay as they are. Settings fields left out keep their
/// value; <c>settings.password</c> replaces the password ("" removes it). Settings that change where
/// the password goes (host, port, database, user name, SSL mode, path) must give the password again or
/// remove it (<c>datasource.password_required</c>, ADR 0027). A connection string replaces the settings
/// and the password. A stale <c>If-Match</c> is a 412. New connection details
/// are checked for a privileged account first (ADR 0026).
/// </summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record UpdateDataSourceCommand(
    Guid Id,
    string? Name = null,
    string? ConnectionString = null,
    DataSourceSettingsInput? Settings = null,
    int? QueryTimeoutSeconds = null,
    int? MaxRows = null,
    VersionPrecondition? IfMatch = null,
    bool? AllowPrivilegedAccount = null,
    bool ResetQueryTimeout = false,
    bool ResetMaxRows = false,
    IReadOnlyList<string>? RequiredResets = null) : IRequest<Versioned<DataSourceDto>>
{
    /// <summary>Never the connection string or the password.</summary>
    public override string ToString() => $"UpdateDataSourceCommand {{ Id = {Id}, Name = {Name} }}";
}

/// <summary>
/// The body of PATCH /datasources/{id}, a JSON Merge Patch: <c>null</c> resets
/// <c>query_timeout_seconds</c> and <c>max_rows</c> to their defaults and <c>allow_privileged_account</c>
/// to false, and inside <c>settings</c> as <see cref="DataSourceSettingsInput"/> says; <c>name</c>,
/// <c>connection_string</c> and <c>settings</c> cannot be reset.
/// </summary>
public sealed class UpdateDataSourceRequest : MergePatchBody
{
    public string? Name { get; init => field = Sent(value); }

    public string? ConnectionString { get; init => field = Sent(value); }

    public DataSourceSettingsInput? Settings { get; init => field = Sent(value); }

    public int? QueryTimeoutSeconds { get; init => field = Sent(value); }

    public int? MaxRows { get; init => field = Sent(value); }

    public bool? AllowPrivilegedAccount { get; init => field = Sent(value); }

    /// <summary>The command, with the resets written as values or flags.</summary>
    public UpdateDataSourceCommand ToCommand(Guid id, VersionPrecondition? ifMatch = null) =>
        new(
            id,
            Name,
            ConnectionString,
            Settings?.WithResetsApplied(),
            QueryTimeoutSeconds,
            MaxRows,
            ifMatch,
            IsReset(nameof(AllowPrivilegedAccount), AllowPrivilegedAccount) ? false : AllowPrivilegedAccount,
            ResetQueryTimeout: IsReset(nameof(QueryTimeoutSeconds), QueryTimeoutSeconds),
            ResetMaxRows: IsReset(nameof(MaxRows), MaxRows),
            RequiredResets: [
                .. RequiredReset(string.Empty, (nameof(Name), Name), (nameof(ConnectionString), ConnectionString), (nameof(Settings), Settings)),
                .. Settings?.RequiredResets() ?? []]);

    /// <summary>Never the connection string or the password.</summary>
    public override string ToString() => $"UpdateDataSourceRequest {{ Name = {Name} }}";
}

internal sealed class UpdateDataSourceCommandValidator : AbstractValidator<UpdateDataSourceCommand>
{
    public UpdateDataSourceCommandValidator()
    {
        this.RefuseRequiredResets(c => c.RequiredResets);
        RuleFor(c => c.Name).NotEmpty().MaximumLength(DataSource.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c).Must(c => c.ConnectionString is null || c.Settings is null)
            .WithName("body").WithMessage("Give either a connection_string or settings, not both.");
        RuleFor(c => c)
            .Must(c => c.Name is not null || c.ConnectionString is not null || c.Settings is not null || c.QueryTimeoutSeconds is not null || c.MaxRows is not null
                || c.AllowPrivilegedAccount is not null || c.ResetQueryTimeout || c.ResetMaxRows)
            .WithName("body").WithMessage("Give a name, connection_string, settings, query_timeout_seconds, max_rows or allow_privileged_account to change.");
    }
}

internal sealed class UpdateDataSourceCommandHandler(
    IRepository<DataSource> dataSources,
    IDataSourceConnectors connectors,
    HostPolicy hostPolicy,
    IHostResolver hostResolver,
    DataSourceLimits limits,
    ISecretProtector protector,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TypeAdapterConfig mapping,
    TimeProvider clock) : IRequestHandler<UpdateDataSourceCommand, Versioned<DataSourceDto>>
{
    public async Task<Versioned<DataSourceDto>> Handle(UpdateDataSourceCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var dataSource = await dataSources.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Data source", request.Id);
        request.IfMatch?.Check(dataSource.RowVersion);
        if (request.Name is not null)
        {
            dataSource.Rename(request.Name, now);
        }

        if (request.ConnectionString is not null)
        {
            // A connection string is the whole connection: its password, or none.
            var (settings, password) = ConnectionInput.FromConnectionString(connectors, dataSource.Type, request.ConnectionString);
            dataSource.ChangeConnection(settings, PasswordChangeOf(password ?? string.Empty), now);
        }
        else if (request.Settings is not null)
        {
            // Settings left out keep their value; a password left out stays only while it goes where it went (ADR 0027).
            var settings = ConnectionInput.FromSettings(dataSource.Type, request.Settings, dataSource.Settings);
            dataSource.ChangeConnection(settings, PasswordChangeOf(request.Settings.Password), now);
        }

        if (request.QueryTimeoutSeconds is not null || request.MaxRows is not null || request.ResetQueryTimeout || request.ResetMaxRows)
        {
            var timeout = request.ResetQueryTimeout ? limits.DefaultQueryTimeoutSeconds : request.QueryTimeoutSeconds ?? dataSource.QueryTimeoutSeconds;
            var maxRows = request.ResetMaxRows ? DataSource.DefaultMaxRows : request.MaxRows ?? dataSource.MaxRows;
            dataSource.ChangeLimits(timeout, maxRows, limits, now);
        }

        var policyChanged = request.AllowPrivilegedAccount is { } allow && dataSource.ChangePrivilegedAccountPolicy(allow, now);
        // Withdrawing the opt-in always succeeds (runs are refused from then on); new connection details are checked now.
        if (request.ConnectionString is not null || request.Settings is not null)
        {
            await DataSourceHostCheck.EnsureAllowedAsync(hostPolicy, hostResolver, dataSource.Settings, cancellationToken).ConfigureAwait(false);
            await CheckAccountAsync(dataSource, cancellationToken).ConfigureAwait(false);
        }

        audit.Record(AuditActions.DataSourceUpdated, new AuditTarget("datasource", dataSource.Id));
        if (policyChanged)
        {
            var action = dataSource.AllowPrivilegedAccount ? AuditActions.DataSourcePrivilegedAccountAllowed : AuditActions.DataSourcePrivilegedAccountDisallowed;
            audit.Record(action, new AuditTarget("datasource", dataSource.Id));
        }
        try
        {
            await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException conflict) when (conflict.Code == ErrorCodes.Duplicate && request.Name is not null)
        {
            throw new DomainException(DataSourceErrors.NameTaken(dataSource.Name), conflict);
        }

        return dataSource.Adapt<Versioned<DataSourceDto>>(mapping);
    }

    private async Task CheckAccountAsync(DataSource dataSource, CancellationToken ct)
    {
        ConnectionTarget target;
        try
        {
            target = dataSource.TargetOf(protector);
        }
        catch (SecretProtectionException)
        {
            // A password no key opens cannot connect; the run that tries it says so.
            return;
        }

        await PrivilegedAccountCheck.EnsureAllowedAsync(connectors, target, ct).ConfigureAwait(false);
    }

    /// <summary>Null keeps the stored password, "" removes it, anything else replaces it.</summary>
    private PasswordChange PasswordChangeOf(string? password) => password switch
    {
        null => PasswordChange.Keep,
        "" => PasswordChange.Clear,
        _ => PasswordChange.Set(protector.Protect(password)),
    };
}
