using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Organizations.Queries.GetInvitationByToken;

/// <summary>
/// A pending invitation as its holder sees it before signing up: which organization, who invited,
/// the address and role, and until when. Anyone with the token may read it; an unknown, used,
/// expired or revoked token is the same 404 (<c>invitation.not_found</c>).
/// </summary>
[AllowAnonymous]
public sealed record GetInvitationByTokenQuery(string? Token) : IRequest<PendingInvitationDto>
{
    /// <summary>Never the token: it is a credential.</summary>
    public override string ToString() => nameof(GetInvitationByTokenQuery);
}

/// <param name="InviterName">The name of the admin who sent it; none once that person has left the organization.</param>
public sealed record PendingInvitationDto(string OrganizationName, string? InviterName, string Email, Role Role, DateTimeOffset ExpiresAt);

internal sealed class GetInvitationByTokenQueryHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IRepository<Invitation> invitations,
    IRepository<Organization> organizations,
    IRepository<User> users,
    IOpaqueTokens opaqueTokens,
    TimeProvider clock) : IRequestHandler<GetInvitationByTokenQuery, PendingInvitationDto>
{
    /// <summary>Longer than any token Loupe issues; a longer one is not looked up at all.</summary>
    private const int TokenMaxLength = 200;

    public async Task<PendingInvitationDto> Handle(GetInvitationByTokenQuery request, CancellationToken cancellationToken)
    {
        var token = request.Token?.Trim();
        if (string.IsNullOrEmpty(token) || token.Length > TokenMaxLength)
        {
            throw new DomainException(InvitationErrors.NotFound);
        }

        var located = await locator.InvitationByTokenHashAsync(opaqueTokens.HashOf(token), cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(InvitationErrors.NotFound);
        tenant.Enter(located.OrganizationId);
        var invitation = await invitations.FindAsync(located.Id, cancellationToken).ConfigureAwait(false);
        if (invitation is null || invitation.StatusAt(clock.GetUtcNow()) != InvitationStatus.Pending)
        {
            throw new DomainException(InvitationErrors.NotFound);
        }

        var organization = await organizations.FindAsync(invitation.OrganizationId, cancellationToken).ConfigureAwait(false)
            ?? throw new DomainException(InvitationErrors.NotFound);
        var inviter = await users.FindAsync(invitation.InvitedByUserId, cancellationToken).ConfigureAwait(false);
        return new PendingInvitationDto(organization.Name, inviter?.Name, invitation.Email.Value, invitation.Role, invitation.ExpiresAt);
    }
}
