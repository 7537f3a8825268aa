using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Organizations.Queries.ListInvitations;

/// <summary>The organization's invitations with their status (<c>status</c> filters: pending, accepted, revoked, expired); tokens are never listed.</summary>
[Authorize(MinimumRole = Role.Admin, SignedInOnly = true)]
public sealed record ListInvitationsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<InvitationDto>>;

public sealed record InvitationDto(
    Guid Id, string Email, Role Role, InvitationStatus Status, Guid InviterId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

internal sealed class ListInvitationsQueryHandler(IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListInvitationsQuery, PagedResult<InvitationDto>>
{
    private static readonly SortWhitelist<Invitation> Sorts = SortWhitelist<Invitation>.For()
        .Field("created_at", i => i.CreatedAt)
        .Field("expires_at", i => i.ExpiresAt)
        .TieBreaker(i => i.Id)
        .Default("-created_at");

    private static readonly string[] Statuses = ["pending", "accepted", "revoked", "expired"];

    public async Task<PagedResult<InvitationDto>> Handle(ListInvitationsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Statuses);
        var now = clock.GetUtcNow();
        var invitations = store.Query<Invitation>().ApplyCreatedRange(parameters.Filter, i => i.CreatedAt);

        // The same order of precedence as Invitation.StatusAt: accepted, then revoked, then expired.
        invitations = parameters.Filter.Status switch
        {
            "accepted" => invitations.Where(i => i.AcceptedAt != null),
            "revoked" => invitations.Where(i => i.AcceptedAt == null && i.RevokedAt != null),
            "expired" => invitations.Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt <= now),
            "pending" => invitations.Where(i => i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now),
            _ => invitations,
        };
        var page = await invitations
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(i => new InvitationDto(i.Id, i.Email.Value, i.Role, i.StatusAt(now), i.InvitedByUserId, i.CreatedAt, i.ExpiresAt));
    }
}
