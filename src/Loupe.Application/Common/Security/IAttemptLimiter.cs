namespace Loupe.Application.Common.Security;

/// <summary>
/// Counts attempts per key (an email address, an IP) in a sliding window, for limits the HTTP
/// layer cannot see, such as 10 logins per minute for one email whatever the IP.
/// </summary>
public interface IAttemptLimiter
{
    /// <returns>True when the attempt is allowed; otherwise how long until the next one is.</returns>
    bool TryAcquire(string scope, string key, out TimeSpan retryAfter);
}
