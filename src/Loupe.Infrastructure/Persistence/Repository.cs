using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Specifications;
using Loupe.Domain.Common;
using Loupe.Infrastructure.Persistence.Specifications;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

/// <summary>Aggregates for commands: always tracked, so the unit of work saves what the handler changed.</summary>
internal sealed class Repository<T>(LoupeDbContext context) : IRepository<T>
    where T : AggregateRoot
{
    public async Task<T?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await context.Set<T>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken).ConfigureAwait(false);

    public async Task<T?> FirstOrDefaultAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        await context.Set<T>().WithSpecification(specification).AsTracking().FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    public Task<List<T>> ListAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        context.Set<T>().WithSpecification(specification).AsTracking().ToListAsync(cancellationToken);

    public Task<int> CountAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        context.Set<T>().WithSpecification(specification).CountAsync(cancellationToken);

    public void Add(T aggregate) => context.Set<T>().Add(aggregate);

    public void Remove(T aggregate) => context.Set<T>().Remove(aggregate);

    public async Task<bool> ReloadAsync(T aggregate, CancellationToken cancellationToken)
    {
        var entry = context.Entry(aggregate);
        await entry.ReloadAsync(cancellationToken).ConfigureAwait(false);
        return entry.State != EntityState.Detached;
    }
}
