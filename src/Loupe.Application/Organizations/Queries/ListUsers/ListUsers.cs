using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Mapster;
using MediatR;

namespace Loupe.Application.Organizations.Queries.ListUsers;

/// <summary>The organization's members; <c>role</c> filters by role (admin, editor, viewer).</summary>
[Authorize]
public sealed record ListUsersQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<UserDto>>;

public sealed record UserDto(Guid Id, string Email, string Name, Role Role, bool IsInstanceAdmin, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt);

internal sealed class ListUsersQueryHandler(IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListUsersQuery, PagedResult<UserDto>>
{
    private static readonly SortWhitelist<User> Sorts = SortWhitelist<User>.For()
        .Field("name", u => u.Name)
        .Field("created_at", u => u.CreatedAt)
        .Field("last_login_at", u => u.LastLoginAt)
        .TieBreaker(u => u.Id)
        .Default("name");

    private static readonly string[] Roles = ["admin", "editor", "viewer"];

    public Task<PagedResult<UserDto>> Handle(ListUsersQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts, Roles, statusParameter: ListQueryParameters.Role);
        var users = store.Query<User>().ApplyText(parameters.Filter, u => u.Name).ApplyCreatedRange(parameters.Filter, u => u.CreatedAt);
        if (parameters.Filter.Status is { } status)
        {
            var role = Enum.Parse<Role>(status, ignoreCase: true);
            users = users.Where(u => u.Role == role);
        }

        return users.ToPageAsync(parameters, page => page.ProjectToType<UserDto>(mapping), executor, cancellationToken);
    }
}
