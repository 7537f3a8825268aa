using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Loupe.Api.Security;

/// <summary>The authentication schemes of the API and how a request picks one.</summary>
public static class LoupeAuthenticationSchemes
{
    /// <summary>The default scheme: a policy scheme that forwards each request to one of the others.</summary>
    public const string Loupe = "Loupe";

    /// <summary>Access tokens (JWT) in <c>Authorization: Bearer …</c>.</summary>
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>API keys, in <c>X-API-Key</c> or as a bearer value starting <see cref="ApiKeyPrefix"/>; registered by the API keys feature.</summary>
    public const string ApiKey = "ApiKey";

    public const string ApiKeyHeader = "X-API-Key";

    public const string ApiKeyPrefix = "lp_ak_";
}
