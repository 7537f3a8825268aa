using Ardalis.Specification;
using Loupe.Domain.Common;

namespace Loupe.Application.Common.Persistence;

/// <summary>
/// Loads and stores aggregates of one kind for commands, always within the current organization.
/// Changes are saved together by <see cref="IUnitOfWork"/>.
/// </summary>
public interface IRepository<T>
    where T : AggregateRoot
{
    Task<T?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken);

    void Add(T aggregate);

    void Remove(T aggregate);

    /// <summary>Forgets unsaved changes and reads the aggregate's stored state again (after a conflict); false when it is gone.</summary>
    Task<bool> ReloadAsync(T aggregate, CancellationToken cancellationToken);
}

/// <summary>Saves every change of the current request in one transaction, or none.</summary>
public interface IUnitOfWork
{
    /// <exception cref="Exceptions.ConflictException">Someone else changed the same row first.</exception>
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Forgets every change not saved yet (aggregates, audit events), so that after a
    /// <see cref="Exceptions.ConflictException"/> the work can be done again on what is stored now.
    /// </summary>
    void DiscardChanges();

    /// <summary>
    /// Runs <paramref name="work"/> — reads and saves — in one database transaction, for decisions
    /// that must hold until the save commits (the first user of an instance).
    /// </summary>
    Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken);
}
