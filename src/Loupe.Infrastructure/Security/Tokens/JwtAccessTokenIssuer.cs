using System.Globalization;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>Signs access tokens as HS256 JWTs carrying exactly the claims <see cref="AccessTokenClaimNames"/> lists.</summary>
internal sealed class JwtAccessTokenIssuer(IOptions<AuthOptions> options, TimeProvider clock) : IAccessTokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessToken Issue(AccessTokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var settings = options.Value;

        // JWT times are whole seconds; the answer's expiry must be the token's own.
        var now = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
        var lifetime = TimeSpan.FromMinutes(settings.AccessTokenMinutes);
        var expiresAt = now + lifetime;

        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [AccessTokenClaimNames.Subject] = claims.UserId.ToString(),
            [AccessTokenClaimNames.Organization] = claims.OrganizationId.ToString(),
            [AccessTokenClaimNames.Role] = claims.Role.ToString().ToLowerInvariant(),
            [AccessTokenClaimNames.Session] = claims.SessionId.ToString(),
            [AccessTokenClaimNames.TokenId] = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture),
        };
        if (claims.IsInstanceAdmin)
        {
            payload[AccessTokenClaimNames.InstanceAdmin] = true;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = payload,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(settings.SigningKeyBytes()), SecurityAlgorithms.HmacSha256),
        };

        return new AccessToken(Handler.CreateToken(descriptor), expiresAt, (int)lifetime.TotalSeconds);
    }
}
