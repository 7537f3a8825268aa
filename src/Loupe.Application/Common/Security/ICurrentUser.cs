using Loupe.Domain.Organizations;

namespace Loupe.Application.Common.Security;

/// <summary>
/// The one place that knows who is calling and for which organization. The API fills it from the
/// access token; background jobs set it explicitly for the organization they work for.
/// </summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    Guid? UserId { get; }

    Guid? OrganizationId { get; }

    /// <summary>The role the caller acts with: for an API key the key's role (never above its creator's).</summary>
    Role? Role { get; }

    /// <summary>The sign-in session the access token belongs to; none for API keys.</summary>
    Guid? SessionId { get; }

    bool IsInstanceAdmin { get; }

    /// <summary>The API key the caller authenticated with; null for a signed-in person and for background work.</summary>
    Guid? ApiKeyId { get; }
}
