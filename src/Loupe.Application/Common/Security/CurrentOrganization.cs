using Loupe.Application.Common.Exceptions;

namespace Loupe.Application.Common.Security;

/// <summary>
/// The one way a handler learns the organization it works in: the caller's over HTTP, or the one a
/// handler or job entered (<see cref="ITenantScope.Enter"/>). Handlers ask the tenant scope, never the
/// caller, so that work after an <c>Enter</c> sees the organization it entered.
/// </summary>
public static class CurrentOrganization
{
    /// <summary>The current organization's id; 403 when there is none (a request no organization's member made).</summary>
    public static Guid RequiredOrganizationId(this ITenantScope tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.OrganizationId ?? throw new ForbiddenException("This needs an organization: act as a member of one.");
    }
}
