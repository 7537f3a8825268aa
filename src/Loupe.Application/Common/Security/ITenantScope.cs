namespace Loupe.Application.Common.Security;

/// <summary>
/// The organization whose data this unit of work may touch. Over HTTP it is the caller's; a
/// handler that learns the organization from a credential (sign-in, refresh, invitation) or a
/// background job enters it explicitly. Persistence reads it for every statement.
/// </summary>
public interface ITenantScope
{
    Guid? OrganizationId { get; }

    /// <summary>Enters <paramref name="organizationId"/>; refused when the caller already belongs to another one.</summary>
    void Enter(Guid organizationId);
}
