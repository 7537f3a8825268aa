using Loupe.Application.Common.Specifications;
using Loupe.Domain.Organizations;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth;

internal sealed class ActiveSessionsOfUser : Specification<Session>
{
    public ActiveSessionsOfUser(Guid userId, DateTimeOffset now)
    {
        Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now);
    }
}

internal sealed class UsersWithRole : Specification<User>
{
    public UsersWithRole(Role role)
    {
        Where(u => u.Role == role);
    }
}

internal sealed class AllUsers : Specification<User>;
