namespace Loupe.Application.Auth;

/// <summary>What a successful sign-in, registration or refresh answers.</summary>
public sealed record AuthTokens(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);
