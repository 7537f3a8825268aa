using System.Security.Claims;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Security.Tokens;

namespace Loupe.Api.Security;

/// <summary>Reads the caller from the authenticated principal of the current HTTP request (the access token's claims).</summary>
internal sealed class HttpCurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    /// <summary>Nobody on the account-entry endpoints, whatever the request carries (see <see cref="AnonymousCaller"/>).</summary>
    private ClaimsPrincipal? Principal => accessor.HttpContext is { } http && !AnonymousCaller.IsOn(http) ? http.User : null;

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public Guid? UserId => ReadGuid(AccessTokenClaimNames.Subject);

    public Guid? OrganizationId => ReadGuid(AccessTokenClaimNames.Organization);

    /// <summary>The session the access token was issued for (<c>sid</c>); API keys have none.</summary>
    public Guid? SessionId => ReadGuid(AccessTokenClaimNames.Session);

    public Role? Role => IsAuthenticated ? ParseRole(Principal!.FindFirstValue(AccessTokenClaimNames.Role)) : null;

    public Guid? ApiKeyId => ReadGuid(HttpRequestOrigin.ApiKeyClaim);

    public bool IsInstanceAdmin =>
        IsAuthenticated && string.Equals(Principal!.FindFirstValue(AccessTokenClaimNames.InstanceAdmin), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Only a role's name counts: <c>Enum.TryParse</c> alone would also take "2" or "7".</summary>
    private static Role? ParseRole(string? value) =>
        value is { Length: > 0 } && char.IsLetter(value[0])
        && Enum.TryParse<Role>(value, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : null;

    private Guid? ReadGuid(string claimType) =>
        IsAuthenticated && Guid.TryParse(Principal!.FindFirstValue(claimType), out var value) ? value : null;
}
