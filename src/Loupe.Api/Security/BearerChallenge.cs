using Loupe.Application.Common.Exceptions;
using Microsoft.IdentityModel.Tokens;

namespace Loupe.Api.Security;

/// <summary>
/// What a 401 says about the credential a request carried, decided in one place for the bearer
/// handler's challenge and for a handler's own authorization refusing a caller it does not know: an API
/// key that is unknown or revoked (<c>auth.api_key_invalid</c>), no credential (<c>unauthorized</c>,
/// a bare <c>Bearer</c> challenge), an access token of Loupe's whose lifetime is over
/// (<c>auth.token_expired</c>: refresh it), or any other bad token (<c>auth.token_invalid</c>: sign in
/// again); each with its RFC 6750 <c>WWW-Authenticate</c> challenge. Only a token with Loupe's own
/// signature is ever called expired, since the signature is checked before the lifetime.
/// </summary>
internal readonly record struct BearerChallenge(string Header, string Code, string Detail)
{
    public const string MissingDetail = "Authentication is required.";
    public const string InvalidDetail = "The access token is invalid.";
    public const string ExpiredDetail = "The access token expired: refresh it.";
    public const string ApiKeyDetail = "The API key is invalid or revoked.";

    /// <param name="request">The request, to tell an API key from an access token.</param>
    /// <param name="failure">Why authenticating its credential failed, if it did.</param>
    public static BearerChallenge For(HttpRequest request, Exception? failure) => failure switch
    {
        _ when AuthenticationSetup.LooksLikeApiKey(request) =>
            new("Bearer error=\"invalid_token\", error_description=\"The API key is invalid or revoked\"", ErrorCodes.ApiKeyInvalid, ApiKeyDetail),
        null => new("Bearer", ErrorCodes.Unauthorized, MissingDetail),
        SecurityTokenExpiredException => new("Bearer error=\"invalid_token\", error_description=\"The access token expired\"", ErrorCodes.TokenExpired, ExpiredDetail),
        _ => new("Bearer error=\"invalid_token\", error_description=\"The access token is invalid\"", ErrorCodes.TokenInvalid, InvalidDetail),
    };
}
