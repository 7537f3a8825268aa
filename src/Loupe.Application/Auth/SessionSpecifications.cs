using Ardalis.Specification;
using Loupe.Domain.Organizations;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth;

internal sealed class ActiveSessionsOfUser : Specification<Session>
{
    public ActiveSessionsOfUser(Guid userId, DateTimeOffset now)
    {
        Query.Where(s => s.UserId == userId && s.RevokedAt == null && s.ExpiresAt > now);
    }
}

/// <summary>The reset tokens of a user that could still set the password.</summary>
internal sealed class OutstandingPasswordResetsOf : Specification<PasswordReset>
{
    public OutstandingPasswordResetsOf(Guid userId, DateTimeOffset now)
    {
        Query.Where(r => r.UserId == userId && r.UsedAt == null && r.ExpiresAt > now);
    }
}

internal sealed class UsersWithRole : Specification<User>
{
    public UsersWithRole(Role role)
    {
        Query.Where(u => u.Role == role);
    }
}

internal sealed class AllUsers : Specification<User>;
