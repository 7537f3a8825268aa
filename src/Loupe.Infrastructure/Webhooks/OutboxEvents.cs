using Loupe.Application.Common.Events;
using Loupe.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>Reads stored events of the current organization (the query filter and row-level security see to it).</summary>
internal sealed class OutboxEvents(LoupeDbContext context) : IOutboxEvents
{
    public async Task<OutboxEventRecord?> FindAsync(Guid id, CancellationToken ct)
    {
        var row = await context.OutboxEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct).ConfigureAwait(false);
        return row is null ? null : new OutboxEventRecord(row.Id, row.OrganizationId, row.EventType, row.Payload, row.OccurredAt);
    }
}
