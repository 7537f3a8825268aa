using System.Text;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Security.Tokens;
using Loupe.Integration.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Loupe.Integration.Tests.Security;

/// <summary>A clock that stands still, for tokens issued in the past.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Access tokens as the test hosts' issuer makes them, and the ways an attacker would bend them.</summary>
internal static class TestTokens
{
    public static AuthOptions Options(string signingKey = LoupeApiFactory.TestSigningKey) => new() { SigningKey = signingKey };

    public static AccessTokenClaims Claims(Role role = Role.Editor, bool instanceAdmin = false) =>
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), role, Guid.CreateVersion7(), instanceAdmin);

    public static string Issue(AccessTokenClaims claims, AuthOptions? options = null, TimeProvider? clock = null) =>
        new JwtAccessTokenIssuer(Microsoft.Extensions.Options.Options.Create(options ?? Options()), clock ?? TimeProvider.System)
            .Issue(claims).Token;

    /// <summary>A token whose header says <c>alg: none</c> and which carries no signature at all.</summary>
    public static string Unsigned(AccessTokenClaims claims)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = """{"alg":"none","typ":"JWT"}""";
        var payload =
            $$"""{"sub":"{{claims.UserId}}","org":"{{claims.OrganizationId}}","role":"admin","sid":"{{claims.SessionId}}","instance_admin":true,"iss":"loupe","aud":"loupe-api","iat":{{now}},"nbf":{{now}},"exp":{{now + 600}}}""";
        return $"{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(header))}.{Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload))}.";
    }

    /// <summary>A well-formed HS256 token made by hand, for claims the issuer would never write.</summary>
    public static string Handmade(AccessTokenClaims claims, string signingKey, string issuer, string audience, DateTime expires)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15),
            Expires = expires,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["sub"] = claims.UserId.ToString(),
                ["org"] = claims.OrganizationId.ToString(),
                ["role"] = "admin",
                ["sid"] = claims.SessionId.ToString(),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
