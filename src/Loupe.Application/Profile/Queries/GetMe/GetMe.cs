using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.Profile.Queries.GetMe;

[Authorize]
public sealed record GetMeQuery : IRequest<MeDto>;

/// <summary>
/// The caller: through an API key, the key's role (never its creator's) and what the key may do.
/// </summary>
public sealed record MeDto(Guid Id, string Email, string Name, Role Role, bool IsInstanceAdmin, OrganizationSummary Organization, DateTimeOffset CreatedAt)
{
    /// <summary>What the caller may do (<c>queries.run</c>, <c>datasources.manage</c>, …), decided as the endpoints decide it.</summary>
    public IReadOnlyList<string> Permissions { get; init; } = [];
}

public sealed record OrganizationSummary(Guid Id, string Name);

internal sealed class GetMeQueryHandler(ICurrentUser currentUser, IReadStore store, IQueryExecutor executor) : IRequestHandler<GetMeQuery, MeDto>
{
    public async Task<MeDto> Handle(GetMeQuery request, CancellationToken cancellationToken)
    {
        var userId = currentUser.UserId;
        var me = await executor.FirstOrDefaultAsync(
            from user in store.Query<User>()
            join organization in store.Query<Organization>() on user.OrganizationId equals organization.Id
            where user.Id == userId
            select new MeDto(user.Id, user.Email.Value, user.Name, user.Role, user.IsInstanceAdmin, new OrganizationSummary(organization.Id, organization.Name), user.CreatedAt),
            cancellationToken).ConfigureAwait(false);
        if (me is null)
        {
            throw new NotFoundException("User", userId ?? Guid.Empty);
        }

        // Through an API key the answer shows what the key may do, not what its creator may.
        me = me with { Permissions = Profile.Permissions.Of(currentUser) };
        return currentUser.ApiKeyId is null
            ? me
            : me with { Role = currentUser.Role ?? Role.Viewer, IsInstanceAdmin = currentUser.IsInstanceAdmin };
    }
}
