using Loupe.Application.Common.Persistence;
using Loupe.Domain.ApiKeys;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

internal sealed class ApiKeyUsage(LoupeDbContext context) : IApiKeyUsage
{
    public Task RecordAsync(Guid apiKeyId, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        context.Set<ApiKey>()
            .Where(k => k.Id == apiKeyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
            .ExecuteUpdateAsync(update => update.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
}
