using Ardalis.Specification;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;
using Loupe.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Aggregates for commands: tracked, so the unit of work saves what the handler changed (a
/// specification may still ask for no tracking, which then wins). <see cref="FindAsync"/> answers an
/// aggregate this unit of work already tracks without asking the database again (one instance per row
/// per unit of work); after <c>DiscardChanges</c> it reads the stored row.
/// </summary>
internal sealed class Repository<T>(LoupeDbContext context) : IRepository<T>
    where T : AggregateRoot
{
    public async Task<T?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await context.Set<T>().FindAsync([id], cancellationToken).ConfigureAwait(false);

    public Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        context.Set<T>().AsTracking().WithSpecification(specification).ToListAsync(cancellationToken);

    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        context.Set<T>().WithCriteriaOf(specification).CountAsync(cancellationToken);

    public void Add(T aggregate) => context.Set<T>().Add(aggregate);

    public void Remove(T aggregate) => context.Set<T>().Remove(aggregate);

    public async Task<bool> ReloadAsync(T aggregate, CancellationToken cancellationToken)
    {
        var entry = context.Entry(aggregate);
        await entry.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return entry.State != EntityState.Detached;
    }
}
