namespace Loupe.Domain.Common;

/// <summary>
/// An item an organization archives instead of deleting (saved queries, visualizations, dashboards,
/// canvases). Archiving hides it from lists and loses nothing; while it is archived every change is
/// refused with the item's own error (<see cref="EnsureActive"/>) until it is restored. Archiving an
/// archived item, or restoring an active one, changes nothing, not even <see cref="UpdatedAt"/>;
/// either change that happens moves <see cref="UpdatedAt"/> to its time.
/// </summary>
public abstract class ArchivableAggregateRoot : AggregateRoot
{
    protected ArchivableAggregateRoot(Guid id, DateTimeOffset updatedAt)
        : base(id)
    {
        UpdatedAt = updatedAt;
    }

    /// <summary>When the item last changed: created, edited, archived or restored.</summary>
    public DateTimeOffset UpdatedAt { get; protected set; }

    /// <summary>When the item was archived; null while it is active.</summary>
    public DateTimeOffset? ArchivedAt { get; private set; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>The item's own refusal of a change while it is archived (a conflict, under the item's code).</summary>
    protected abstract DomainError ArchivedError { get; }

    /// <summary>Hides the item from lists; nothing is lost.</summary>
    /// <returns>Whether the item was active until now (false: it was archived already, and nothing changed).</returns>
    public bool Archive(DateTimeOffset now)
    {
        if (IsArchived)
        {
            return false;
        }

        ArchivedAt = now;
        UpdatedAt = now;
        OnArchived();
        return true;
    }

    /// <summary>Brings an archived item back, as it was.</summary>
    /// <returns>Whether the item was archived until now (false: it was active, and nothing changed).</returns>
    public bool Restore(DateTimeOffset now)
    {
        if (!IsArchived)
        {
            return false;
        }

        ArchivedAt = null;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// What else archiving stops, for an item that holds state only an active item may have (a
    /// schedule's next run); called once, when <see cref="Archive"/> changed the item.
    /// </summary>
    protected virtual void OnArchived()
    {
    }

    /// <summary>Refuses a change of an archived item.</summary>
    /// <exception cref="DomainException">The item is archived (<see cref="ArchivedError"/>).</exception>
    public void EnsureActive()
    {
        if (IsArchived)
        {
            throw new DomainException(ArchivedError);
        }
    }
}
