namespace Loupe.Application.Common.Persistence;

/// <summary>
/// Records when an API key was last used, outside any unit of work and without optimistic
/// concurrency: concurrent requests with one key all succeed, and the latest time wins.
/// </summary>
public interface IApiKeyUsage
{
    Task RecordAsync(Guid apiKeyId, DateTimeOffset usedAt, CancellationToken cancellationToken);
}
