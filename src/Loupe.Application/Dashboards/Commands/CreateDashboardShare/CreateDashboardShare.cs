using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries.Parameters;
using MediatR;

namespace Loupe.Application.Dashboards.Commands.CreateDashboardShare;

/// <summary>
/// Makes a share link of a dashboard (editors, signed in): a random token shown in this answer only
/// (its hash is kept), an optional expiry, and values of dashboard parameters the link fixes —
/// checked against the dashboard's parameters as a refresh's values are. An archived dashboard
/// cannot be shared.
/// </summary>
[Authorize(MinimumRole = Role.Editor, SignedInOnly = true)]
public sealed record CreateDashboardShareCommand(
    Guid DashboardId, string? Label = null, DateTimeOffset? ExpiresAt = null, IReadOnlyDictionary<string, JsonElement>? LockedParameters = null)
    : IRequest<CreatedDashboardShareDto>
{
    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"CreateDashboardShareCommand {{ DashboardId = {DashboardId} }}";
}

/// <summary>The body of POST /dashboards/{id}/shares (optional).</summary>
/// <param name="Label">What to call the link (1–100 characters), to tell links apart.</param>
/// <param name="ExpiresAt">When the link stops working (in the future); none: until revoked.</param>
/// <param name="LockedParameters">Values of the dashboard's parameters by name, as a run's parameters are written; the link shows them and nothing else. A parameter left out takes the dashboard's default.</param>
public sealed record CreateDashboardShareRequest(string? Label = null, DateTimeOffset? ExpiresAt = null, Dictionary<string, JsonElement>? LockedParameters = null)
{
    public CreateDashboardShareCommand ToCommand(Guid dashboardId) => new(dashboardId, Label, ExpiresAt, LockedParameters);

    /// <summary>Never the parameter values.</summary>
    public override string ToString() => $"CreateDashboardShareRequest {{ ExpiresAt = {ExpiresAt} }}";
}

internal sealed class CreateDashboardShareCommandValidator : AbstractValidator<CreateDashboardShareCommand>
{
    public CreateDashboardShareCommandValidator()
    {
        RuleFor(c => c.Label).MaximumLength(DashboardShare.LabelMaxLength).WithMessage(DashboardShareErrors.LabelTooLong.Message);
        RuleFor(c => c.LockedParameters!.Count).LessThanOrEqualTo(DashboardParameters.MaxParameters)
            .When(c => c.LockedParameters is not null).OverridePropertyName("locked_parameters");
    }
}

internal sealed class CreateDashboardShareCommandHandler(
    ICurrentUser currentUser,
    IRepository<DashboardShare> shares,
    IReadStore store,
    IQueryExecutor executor,
    IOpaqueTokens opaqueTokens,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<CreateDashboardShareCommand, CreatedDashboardShareDto>
{
    /// <summary>The start of every share token, so a leaked one is recognised for what it is.</summary>
    public const string TokenPrefix = "lp_ds";

    /// <summary>The public read of a token: the path a link points at.</summary>
    public const string PublicPath = "/api/v1/public/dashboards/";

    public async Task<CreatedDashboardShareDto> Handle(CreateDashboardShareCommand request, CancellationToken cancellationToken)
    {
        var userId = currentUser.UserId ?? throw new ForbiddenException("A share link is made by a person signed in.");
        var dashboard = await executor.FirstOrDefaultAsync(store.Query<Dashboard>().Where(d => d.Id == request.DashboardId), cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Dashboard", request.DashboardId);
        dashboard.EnsureActive();

        // JSON null locks nothing: the parameter takes the dashboard's default, like one left out.
        var locked = ParameterJson.ToValues(request.LockedParameters)
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);
        DashboardParameterValues.Resolve(
            dashboard.Parameters, locked.ToDictionary(pair => pair.Key, pair => (ParameterValue?)pair.Value, StringComparer.Ordinal), LockedField);

        var now = clock.GetUtcNow();
        var live = await executor.CountAsync(
            store.Query<DashboardShare>().Where(s => s.DashboardId == dashboard.Id && s.RevokedAt == null && (s.ExpiresAt == null || s.ExpiresAt > now)),
            cancellationToken).ConfigureAwait(false);
        if (live >= DashboardShare.MaxLivePerDashboard)
        {
            throw new DomainException(DashboardShareErrors.TooMany);
        }

        var token = opaqueTokens.Create(TokenPrefix);
        var share = DashboardShare.Create(Guid.CreateVersion7(now), dashboard, userId, request.Label, locked, request.ExpiresAt, token.Value, token.Hash, now);
        shares.Add(share);

        // Which dashboard, until when and which parameters are fixed; never the token (nor its prefix).
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["dashboard_id"] = dashboard.Id.ToString() };
        if (share.ExpiresAt is { } expiresAt)
        {
            details["expires_at"] = expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        if (share.LockedValues.Count > 0)
        {
            details["locked_parameters"] = Truncate(string.Join(",", share.LockedValues.Keys.Order(StringComparer.Ordinal)));
        }

        audit.Record(AuditActions.DashboardShareCreated, new AuditTarget("dashboard_share", share.Id), details: details);
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var dto = DashboardShareDto.From(share, now);
        return new CreatedDashboardShareDto(
            share.Id, share.DashboardId, share.Label, share.Prefix, token.Value, PublicPath + token.Value, dto.LockedParameters, dto.Status, share.ExpiresAt, share.CreatedBy, share.CreatedAt);
    }

    private static string LockedField(string name) => $"locked_parameters.{name}";

    private static string Truncate(string text) => text.Length <= AuditEvent.DetailMaxLength ? text : text[..AuditEvent.DetailMaxLength];
}
