using Loupe.Infrastructure.Security.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Loupe.Api.Security;

/// <summary>
/// Authentication for the API: the default scheme <see cref="LoupeAuthenticationSchemes.Loupe"/>
/// forwards to the JWT bearer handler, or to the API key handler for requests carrying a key.
/// Endpoints are not protected globally: each request type declares who may send it.
/// </summary>
internal static class AuthenticationSetup
{
    /// <summary>Tolerated clock difference between the issuer and this host.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddLoupeAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAccessTokens(configuration);
        services.AddAuthentication(LoupeAuthenticationSchemes.Loupe)
            .AddPolicyScheme(LoupeAuthenticationSchemes.Loupe, "Access token or API key", options =>
                options.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer(LoupeAuthenticationSchemes.Bearer)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(LoupeAuthenticationSchemes.ApiKey, "API key", null);
        services.AddOptions<JwtBearerOptions>(LoupeAuthenticationSchemes.Bearer)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.IncludeErrorDetails = false;
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
                jwt.Events = new BearerProblemEvents();
            });
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, InstanceAdminGateResults>();
        return services;
    }

    /// <summary>What an access token must satisfy; the issuer's tokens are tested against exactly this.</summary>
    public static TokenValidationParameters ValidationParameters(AuthOptions auth) => new()
    {
        ValidateIssuer = true,
        ValidIssuer = auth.Issuer,
        ValidateAudience = true,
        ValidAudience = auth.Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = new SymmetricSecurityKey(auth.SigningKeyBytes()),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        NameClaimType = AccessTokenClaimNames.Subject,
        RoleClaimType = AccessTokenClaimNames.Role,
    };

    /// <summary>
    /// API keys go to their own scheme when it exists; until the API keys feature registers it,
    /// everything goes to the bearer handler, which refuses an API key as an invalid token.
    /// </summary>
    internal static string SelectScheme(HttpContext context)
    {
        if (LooksLikeApiKey(context.Request)
            && context.RequestServices.GetRequiredService<IOptions<AuthenticationOptions>>().Value.SchemeMap
                .ContainsKey(LoupeAuthenticationSchemes.ApiKey))
        {
            return LoupeAuthenticationSchemes.ApiKey;
        }

        return LoupeAuthenticationSchemes.Bearer;
    }

    internal static bool LooksLikeApiKey(HttpRequest request)
    {
        if (request.Headers.ContainsKey(LoupeAuthenticationSchemes.ApiKeyHeader))
        {
            return true;
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
               && authorization.AsSpan(bearer.Length).TrimStart().StartsWith(LoupeAuthenticationSchemes.ApiKeyPrefix, StringComparison.Ordinal);
    }
}
