using Ardalis.Specification;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Application.Tests.Common.InMemory;

/// <summary>
/// Loupe's own database as a handler sees it, kept in memory for unit tests of handlers' decisions:
/// the saved rows of every organization. Each request sees only its current organization's rows,
/// as the tenant filter and row-level security make it in PostgreSQL (tested there, in
/// Loupe.Integration.Tests).
/// </summary>
internal sealed class InMemoryStore
{
    private readonly List<object> _rows = [];
    private Action? _beforeConflict;

    /// <summary>How many saves committed.</summary>
    public int Saves { get; private set; }

    /// <summary>Every saved row of <typeparamref name="T"/>, of every organization.</summary>
    public IReadOnlyList<T> All<T>() => [.. _rows.OfType<T>()];

    /// <summary>Rows as if an earlier request had saved them.</summary>
    public void Seed(params object[] rows) => _rows.AddRange(rows);

    /// <summary>The next save fails with a 409 <c>concurrent_change</c>, as the real store's does, after <paramref name="meanwhile"/> (what another request saved first).</summary>
    public void ConflictOnNextSave(Action meanwhile) => _beforeConflict = meanwhile;

    public IEnumerable<T> VisibleTo<T>(Guid? organizationId) =>
        _rows.OfType<T>().Where(row => organizationId is not null && OrganizationOf(row!) == organizationId);

    public bool Contains(object row) => _rows.Contains(row);

    public void Commit(IReadOnlyList<(object Row, bool Added)> changes)
    {
        if (_beforeConflict is { } meanwhile)
        {
            _beforeConflict = null;
            meanwhile();
            throw new ConflictException(ErrorCodes.ConcurrentChange, "Someone else changed it first.");
        }

        foreach (var (row, added) in changes)
        {
            if (added)
            {
                _rows.Add(row);
            }
            else
            {
                _rows.Remove(row);
            }
        }

        Saves++;
    }

    private static Guid? OrganizationOf(object row) => row switch
    {
        Organization organization => organization.Id,
        ITenantOwned owned => owned.OrganizationId,
        _ => null,
    };
}

/// <summary>One request's unit of work: what it added or removed reaches the store when it saves.</summary>
internal sealed class InMemoryUnitOfWork(InMemoryStore store) : IUnitOfWork
{
    private readonly List<(object Row, bool Added)> _changes = [];

    public void Stage(object row, bool added) => _changes.Add((row, added));

    public IEnumerable<T> Added<T>() => _changes.Where(change => change.Added).Select(change => change.Row).OfType<T>();

    public Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        store.Commit(_changes);
        _changes.Clear();
        return Task.CompletedTask;
    }

    public void DiscardChanges() => _changes.Clear();

    public Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work();
    }
}

/// <summary>The current organization's aggregates of one kind; a specification runs with LINQ to objects.</summary>
internal sealed class InMemoryRepository<T>(InMemoryStore store, InMemoryUnitOfWork unitOfWork, ITenantScope tenant) : IRepository<T>
    where T : AggregateRoot
{
    public Task<T?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Visible().FirstOrDefault(aggregate => aggregate.Id == id));

    public Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Task.FromResult(specification.Evaluate(Saved()).ToList());

    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken) =>
        Task.FromResult(specification.Evaluate(Saved()).Count());

    public void Add(T aggregate) => unitOfWork.Stage(aggregate, added: true);

    public void Remove(T aggregate) => unitOfWork.Stage(aggregate, added: false);

    public Task<bool> ReloadAsync(T aggregate, CancellationToken cancellationToken) => Task.FromResult(store.Contains(aggregate));

    private IQueryable<T> Saved() => store.VisibleTo<T>(tenant.OrganizationId).AsQueryable();

    // Like EF Core's Find: what this request added is found before it is saved.
    private IEnumerable<T> Visible() =>
        Saved().Concat(unitOfWork.Added<T>().Where(added => added is ITenantOwned owned && owned.OrganizationId == tenant.OrganizationId));
}

/// <summary>The read path: the current organization's saved rows.</summary>
internal sealed class InMemoryReadStore(InMemoryStore store, ITenantScope tenant) : IReadStore
{
    public IQueryable<T> Query<T>()
        where T : class => store.VisibleTo<T>(tenant.OrganizationId).AsQueryable();
}
