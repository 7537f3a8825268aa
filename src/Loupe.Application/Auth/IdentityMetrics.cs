using System.Diagnostics.Metrics;
using Loupe.Application.Common.Events;
using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth;

/// <summary>
/// Accounts, organizations and stolen refresh tokens, on the meter <c>Loupe.Identity</c> (exported at
/// <c>/metrics</c>, ADR 0040). Counted from the domain's events, so only what committed is counted:
/// a registration whose save failed is not.
/// </summary>
public sealed class IdentityMetrics :
    IDomainEventListener<UserRegistered>,
    IDomainEventListener<OrganizationCreated>,
    IDomainEventListener<RefreshTokenReused>
{
    public const string MeterName = "Loupe.Identity";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> UsersRegistered =
        Meter.CreateCounter<long>("loupe.users.registered", "{user}", "Accounts created, by the role they joined with.");

    private static readonly Counter<long> OrganizationsCreated =
        Meter.CreateCounter<long>("loupe.organizations.created", "{organization}", "Organizations created.");

    private static readonly Counter<long> RefreshTokensReused =
        Meter.CreateCounter<long>("loupe.sessions.refresh_token_reused", "{session}", "Sessions revoked because a rotated refresh token was presented again.");

    public Task HandleAsync(UserRegistered domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        UsersRegistered.Add(1, new KeyValuePair<string, object?>("role", domainEvent.Role.ToString().ToLowerInvariant()));
        return Task.CompletedTask;
    }

    public Task HandleAsync(OrganizationCreated domainEvent, CancellationToken cancellationToken)
    {
        OrganizationsCreated.Add(1);
        return Task.CompletedTask;
    }

    public Task HandleAsync(RefreshTokenReused domainEvent, CancellationToken cancellationToken)
    {
        RefreshTokensReused.Add(1);
        return Task.CompletedTask;
    }
}
