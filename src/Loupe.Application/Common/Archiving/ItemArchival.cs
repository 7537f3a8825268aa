using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;

namespace Loupe.Application.Common.Archiving;

/// <summary>
/// What every archive and restore command of an item (saved query, visualization, dashboard,
/// canvas) does once it holds the item, found in the caller's organization and its <c>If-Match</c>
/// checked: the domain archives or restores it (<see cref="ArchivableAggregateRoot"/>), and only when
/// that changed it are the command's audit entry recorded and the change saved. Archiving an archived
/// item, or restoring an active one, records and saves nothing. What differs by item stays with its
/// command: whether <c>If-Match</c> is required, a rule that may refuse the archive (dashboards still
/// showing the item), how a save that lost a race answers, and what a restore returns.
/// </summary>
internal sealed class ItemArchival(IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
{
    /// <param name="save">How the item's changes are saved, when its commands save their own way; null: <see cref="IUnitOfWork.SaveChangesAsync"/>.</param>
    public Task ArchiveAsync(
        ArchivableAggregateRoot item, string action, AuditTarget target, CancellationToken cancellationToken, Func<CancellationToken, Task>? save = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return RecordAsync(item.Archive(clock.GetUtcNow()), action, target, save, cancellationToken);
    }

    /// <param name="save">How the item's changes are saved, when its commands save their own way; null: <see cref="IUnitOfWork.SaveChangesAsync"/>.</param>
    public Task RestoreAsync(
        ArchivableAggregateRoot item, string action, AuditTarget target, CancellationToken cancellationToken, Func<CancellationToken, Task>? save = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return RecordAsync(item.Restore(clock.GetUtcNow()), action, target, save, cancellationToken);
    }

    /// <summary>The same for an item whose domain restores it with more than the time (a schedule computes its next time).</summary>
    /// <param name="restore">The item's own restore at the time given; true when it changed the item.</param>
    public Task RestoreAsync(Func<DateTimeOffset, bool> restore, string action, AuditTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restore);
        return RecordAsync(restore(clock.GetUtcNow()), action, target, save: null, cancellationToken);
    }

    private async Task RecordAsync(bool changed, string action, AuditTarget target, Func<CancellationToken, Task>? save, CancellationToken cancellationToken)
    {
        if (!changed)
        {
            return;
        }

        audit.Record(action, target);
        await (save ?? unitOfWork.SaveChangesAsync)(cancellationToken).ConfigureAwait(false);
    }
}
