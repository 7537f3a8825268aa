namespace Loupe.Application.Common.Security;

/// <summary>
/// The refresh token that replaces a presented one: derived from it with a server-held key, so the
/// same token presented twice (two tabs refreshing at once) yields the same successor, and no
/// token is ever stored in a form that could be handed out again.
/// </summary>
public interface IRefreshTokenSuccessors
{
    OpaqueToken SuccessorOf(string prefix, string presentedToken);
}
