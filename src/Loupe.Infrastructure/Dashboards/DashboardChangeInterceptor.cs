using Loupe.Domain.Dashboards;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;
using Loupe.Domain.Visualizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// Drops this process's cached dashboard answers built from what a save changed, as soon as the save
/// is done, so that the person who changed a dashboard (or ran its query) sees the change on the next
/// read from the same process. Every process, this one included, also hears the change from PostgreSQL
/// once it commits (<see cref="DashboardChangeListener"/>): this only saves the wait.
/// </summary>
internal sealed class DashboardChangeInterceptor(DashboardViewCache cache) : SaveChangesInterceptor
{
    private List<Guid>? _changed;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Announce();
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Announce();
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _changed = null;

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _changed = null;
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<Guid>? changed = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            Guid? id = entry.Entity switch
            {
                Dashboard dashboard => dashboard.Id,
                Visualization visualization => visualization.Id,
                SavedQuery query => query.Id,
                QueryRun { SavedQueryId: { } queryId } run when run.Status == RunStatus.Succeeded || run.ResultExpired => queryId,
                _ => null,
            };
            if (id is { } changedId)
            {
                (changed ??= []).Add(changedId);
            }
        }

        _changed = changed;
    }

    private void Announce()
    {
        if (Interlocked.Exchange(ref _changed, null) is { } changed)
        {
            foreach (var id in changed)
            {
                cache.Changed(id);
            }
        }
    }
}
