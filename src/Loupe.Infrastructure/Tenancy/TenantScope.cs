using Loupe.Application.Common.Security;

namespace Loupe.Infrastructure.Tenancy;

/// <summary>The caller's organization, unless a handler or job entered one explicitly (only allowed when the caller has none).</summary>
internal sealed class TenantScope(ICurrentUser currentUser) : ITenantScope
{
    private Guid? _entered;

    public Guid? OrganizationId => _entered ?? currentUser.OrganizationId;

    public void Enter(Guid organizationId)
    {
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("An organization id is required.", nameof(organizationId));
        }

        if (currentUser.OrganizationId is { } own && own != organizationId)
        {
            throw new InvalidOperationException("A caller cannot enter another organization than their own.");
        }

        _entered = organizationId;
    }

    /// <summary>
    /// Enters <paramref name="organizationId"/> for an instance admin acting across organizations, in a
    /// unit of work of its own (<see cref="InstanceAdminOrganizationWork"/>); refused for anyone else.
    /// </summary>
    public void EnterForInstanceAdmin(Guid organizationId)
    {
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("An organization id is required.", nameof(organizationId));
        }

        if (!currentUser.IsInstanceAdmin)
        {
            throw new InvalidOperationException("Only an instance admin acts in another organization than their own.");
        }

        _entered = organizationId;
    }
}

/// <summary>The caller of work that no person started (a background job, a command-line tool).</summary>
internal sealed class NoCaller : ICurrentUser
{
    public bool IsAuthenticated => false;

    public Guid? UserId => null;

    public Guid? OrganizationId => null;

    public Domain.Organizations.Role? Role => null;

    public Guid? SessionId => null;

    public bool IsInstanceAdmin => false;

    public Guid? ApiKeyId => null;
}
