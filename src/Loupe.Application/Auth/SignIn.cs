using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Auth;

/// <summary>Starts a session for a user who proved who they are, and issues its first tokens.</summary>
internal sealed class SignIn(
    IRepository<Session> sessions,
    IOpaqueTokens opaqueTokens,
    IAccessTokenIssuer accessTokens,
    IRequestOrigin origin,
    IInstanceSettings settings,
    TimeProvider clock)
{
    public const string RefreshTokenPrefix = "lp_rt";

    /// <summary>Adds the session to the unit of work; the caller saves, then hands out the tokens.</summary>
    public AuthTokens Start(User user)
    {
        var now = clock.GetUtcNow();
        var refresh = opaqueTokens.Create(RefreshTokenPrefix);
        var session = Session.Start(
            Guid.CreateVersion7(), user.OrganizationId, user.Id, refresh.Hash, now, settings.RefreshTokenLifetime, origin.UserAgent, origin.IpAddress);
        sessions.Add(session);
        return Issue(user, session.Id, refresh.Value);
    }

    public AuthTokens Issue(User user, Guid sessionId, string refreshToken)
    {
        var access = accessTokens.Issue(new AccessTokenClaims(user.Id, user.OrganizationId, user.Role, sessionId, user.IsInstanceAdmin));
        return new AuthTokens(access.Token, refreshToken, "Bearer", access.ExpiresInSeconds);
    }
}
