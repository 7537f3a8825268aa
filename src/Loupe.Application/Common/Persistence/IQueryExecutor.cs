namespace Loupe.Application.Common.Persistence;

/// <summary>
/// Runs a composed <see cref="IQueryable{T}"/> asynchronously. The application composes queries
/// (filters, sorting, projections) without knowing the ORM; Infrastructure executes them.
/// </summary>
public interface IQueryExecutor
{
    Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);

    Task<int> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);

    Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken);
}
