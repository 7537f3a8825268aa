using Loupe.Domain.Organizations;

namespace Loupe.Application.Common.Security;

/// <summary>What an access token says about its bearer.</summary>
public sealed record AccessTokenClaims(Guid UserId, Guid OrganizationId, Role Role, Guid SessionId, bool IsInstanceAdmin);

/// <summary>A signed access token and when it stops being accepted.</summary>
public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt, int ExpiresInSeconds);

/// <summary>Issues short-lived signed access tokens (JWT).</summary>
public interface IAccessTokenIssuer
{
    AccessToken Issue(AccessTokenClaims claims);
}
