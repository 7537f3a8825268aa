using System.Security.Claims;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;

namespace Loupe.Api.Security;

/// <summary>Reads the caller from the authenticated principal of the current HTTP request.</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public const string OrganizationClaim = "org";
    public const string RoleClaim = "role";
    public const string InstanceAdminClaim = "instance_admin";
    public const string SessionClaim = "sid";

    private ClaimsPrincipal? Principal => accessor.HttpContext?.User;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid? UserId => ReadGuid(ClaimTypes.NameIdentifier) ?? ReadGuid("sub");

    public Guid? OrganizationId => ReadGuid(OrganizationClaim);

    public Role? Role =>
        IsAuthenticated && Enum.TryParse<Role>(Principal!.FindFirstValue(RoleClaim), ignoreCase: true, out var role)
            ? role
            : null;

    public Guid? SessionId => ReadGuid(SessionClaim);

    public bool IsInstanceAdmin =>
        IsAuthenticated && string.Equals(Principal!.FindFirstValue(InstanceAdminClaim), "true", StringComparison.Ordinal);

    private Guid? ReadGuid(string claimType) =>
        IsAuthenticated && Guid.TryParse(Principal!.FindFirstValue(claimType), out var value) ? value : null;
}
