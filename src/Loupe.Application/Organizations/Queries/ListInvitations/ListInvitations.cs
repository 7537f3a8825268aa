using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.Organizations.Queries.ListInvitations;

/// <summary>The organization's invitations with their status; tokens are never listed.</summary>
[Authorize(MinimumRole = Role.Admin)]
public sealed record ListInvitationsQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<InvitationDto>>;

public sealed record InvitationDto(
    Guid Id, string Email, Role Role, InvitationStatus Status, Guid InvitedByUserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

internal sealed class ListInvitationsQueryHandler(IReadStore store, IQueryExecutor executor, TimeProvider clock)
    : IRequestHandler<ListInvitationsQuery, PagedResult<InvitationDto>>
{
    private static readonly SortWhitelist<Invitation> Sorts = SortWhitelist<Invitation>.For()
        .Field("created_at", i => i.CreatedAt)
        .Field("expires_at", i => i.ExpiresAt)
        .TieBreaker(i => i.Id)
        .Default("-created_at");

    public async Task<PagedResult<InvitationDto>> Handle(ListInvitationsQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var now = clock.GetUtcNow();
        var page = await store.Query<Invitation>()
            .ApplyCreatedRange(parameters.Filter, i => i.CreatedAt)
            .ToPageAsync(parameters, executor, cancellationToken)
            .ConfigureAwait(false);
        return page.Map(i => new InvitationDto(i.Id, i.Email.Value, i.Role, i.StatusAt(now), i.InvitedByUserId, i.CreatedAt, i.ExpiresAt));
    }
}
