namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>The claims of a Loupe access token, besides the registered <c>iat</c>, <c>nbf</c>, <c>exp</c>, <c>iss</c> and <c>aud</c>.</summary>
public static class AccessTokenClaimNames
{
    public const string Subject = "sub";
    public const string Organization = "org";
    public const string Role = "role";
    public const string Session = "sid";
    public const string InstanceAdmin = "instance_admin";
    public const string TokenId = "jti";
}
