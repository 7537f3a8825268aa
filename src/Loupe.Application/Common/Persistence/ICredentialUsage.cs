namespace Loupe.Application.Common.Persistence;

/// <summary>
/// Records when an API key or a session was last used, outside any unit of work and without
/// optimistic concurrency: concurrent requests with one credential all succeed, and the latest time
/// wins. Callers write at most once per <see cref="Domain.Common.CredentialUse.RecordInterval"/>.
/// </summary>
public interface ICredentialUsage
{
    Task RecordApiKeyUseAsync(Guid apiKeyId, DateTimeOffset usedAt, CancellationToken cancellationToken);

    Task RecordSessionUseAsync(Guid sessionId, DateTimeOffset usedAt, CancellationToken cancellationToken);
}
