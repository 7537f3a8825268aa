using Loupe.Application.Common.Persistence;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

internal sealed class CredentialUsage(LoupeDbContext context) : ICredentialUsage
{
    public Task RecordApiKeyUseAsync(Guid apiKeyId, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        context.Set<ApiKey>()
            .Where(k => k.Id == apiKeyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
            .ExecuteUpdateAsync(update => update.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);

    public Task RecordSessionUseAsync(Guid sessionId, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        context.Set<Session>()
            .Where(s => s.Id == sessionId && s.LastUsedAt < usedAt)
            .ExecuteUpdateAsync(update => update.SetProperty(s => s.LastUsedAt, usedAt), cancellationToken);
}
