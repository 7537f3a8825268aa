namespace Loupe.Domain.Common;

/// <summary>
/// Belongs to exactly one organization. Persistence scopes every read and write of such an entity
/// to the current organization, and PostgreSQL row-level security enforces the same.
/// </summary>
public interface ITenantOwned
{
    Guid OrganizationId { get; }
}
