namespace Loupe.Application.Common.Persistence;

/// <summary>
/// The read path of query handlers: untracked queryables of stored entities, to filter, sort and
/// project straight to DTOs (translated to SQL) and run through <see cref="IQueryExecutor"/>.
/// </summary>
public interface IReadStore
{
    IQueryable<T> Query<T>()
        where T : class;
}
