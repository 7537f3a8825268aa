namespace Loupe.Domain.Common;

/// <summary>
/// How often the use of a credential (an API key, a session's access or refresh token) is written
/// down as its <c>last_used_at</c>: at most once a minute, so a busy script or a polling page does
/// not write on every request. The time shown is therefore up to a minute old.
/// </summary>
public static class CredentialUse
{
    public static readonly TimeSpan RecordInterval = TimeSpan.FromMinutes(1);

    /// <summary>Whether a use at <paramref name="now"/> is worth recording after one at <paramref name="lastUsedAt"/>.</summary>
    public static bool IsDue(DateTimeOffset? lastUsedAt, DateTimeOffset now) => lastUsedAt is not { } last || now - last >= RecordInterval;
}
