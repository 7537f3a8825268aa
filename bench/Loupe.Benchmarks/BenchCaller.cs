using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;

namespace Loupe.Benchmarks;

/// <summary>
/// The caller of one scope, in place of the API's access token: nobody until <see cref="ActAs"/>, so
/// the job engine's scopes see no caller, as in Loupe.Worker; a scope that sends a command as a member
/// of an organization acts as that member, as a request with their token would.
/// </summary>
internal sealed class BenchCaller : ICurrentUser
{
    public bool IsAuthenticated => UserId is not null;

    public Guid? UserId { get; private set; }

    public Guid? OrganizationId { get; private set; }

    public Role? Role { get; private set; }

    public Guid? SessionId => null;

    public bool IsInstanceAdmin => false;

    public Guid? ApiKeyId => null;

    public void ActAs(Guid userId, Guid organizationId, Role role)
    {
        UserId = userId;
        OrganizationId = organizationId;
        Role = role;
    }
}
