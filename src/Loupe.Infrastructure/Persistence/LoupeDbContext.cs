using System.Linq.Expressions;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Alerts;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Audit;
using Loupe.Domain.Canvases;
using Loupe.Domain.Common;
using Loupe.Domain.Dashboards;
using Loupe.Domain.DataSources;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;
using Loupe.Domain.PasswordResets;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;
using Loupe.Domain.Visualizations;
using Loupe.Domain.Webhooks;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Loupe.Infrastructure.Persistence;

/// <summary>
/// Loupe's own database. The schema is owned by the SQL files in <c>migrations/</c>; this model must
/// match it. Every tenant-owned entity is filtered to the current organization here, in one place,
/// and a save that would write another organization's row is refused before it reaches PostgreSQL,
/// whose row-level security is the second wall.
/// </summary>
public sealed class LoupeDbContext : DbContext, IUnitOfWork
{
    private readonly ITenantScope? _tenant;
    private readonly DomainEventDispatcher? _events;

    /// <summary>Events of saves inside <see cref="IUnitOfWork.InTransactionAsync{T}"/>, held until it commits.</summary>
    private readonly List<IDomainEvent> _uncommittedEvents = [];

    /// <summary>For migrations and schema tools: no organization, so every tenant filter matches nothing.</summary>
    public LoupeDbContext(DbContextOptions<LoupeDbContext> options)
        : base(options)
    {
        NoSavepoints();
    }

    public LoupeDbContext(DbContextOptions<LoupeDbContext> options, ITenantScope tenant)
        : base(options)
    {
        _tenant = tenant;
        NoSavepoints();
    }

    /// <summary>The application's context: domain events go to <paramref name="events"/> once their save has committed.</summary>
    [ActivatorUtilitiesConstructor]
    public LoupeDbContext(DbContextOptions<LoupeDbContext> options, ITenantScope tenant, DomainEventDispatcher events)
        : this(options, tenant)
    {
        _events = events;
    }

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<DataSource> DataSources => Set<DataSource>();

    public DbSet<QueryRun> QueryRuns => Set<QueryRun>();

    /// <summary>Jobs of the current organization (row-level security shows no others); written only through <see cref="JobOutbox"/>.</summary>
    internal DbSet<Job> Jobs => Set<Job>();
    public DbSet<SavedQuery> SavedQueries => Set<SavedQuery>();

    public DbSet<SavedQueryVersion> SavedQueryVersions => Set<SavedQueryVersion>();

    public DbSet<Visualization> Visualizations => Set<Visualization>();

    public DbSet<Canvas> Canvases => Set<Canvas>();

    public DbSet<Dashboard> Dashboards => Set<Dashboard>();

    public DbSet<DashboardVersion> DashboardVersions => Set<DashboardVersion>();

    public DbSet<DashboardShare> DashboardShares => Set<DashboardShare>();

    public DbSet<Alert> Alerts => Set<Alert>();

    /// <summary>Events to tell webhooks about; added only through <see cref="EventOutbox"/>, with the change that causes them.</summary>
    internal DbSet<OutboxEvent> OutboxEvents => Set<OutboxEvent>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<Schedule> Schedules => Set<Schedule>();

    /// <summary>Read by the query filters on every query (EF Core parameterizes it per context).</summary>
    internal Guid? CurrentOrganizationId => _tenant?.OrganizationId;

    /// <summary>
    /// Every save runs in a transaction of its own (or of <see cref="IUnitOfWork.InTransactionAsync{T}"/>)
    /// that is rolled back whole when the save fails, so EF Core's savepoint around each save would only
    /// cost two more round trips.
    /// </summary>
    private void NoSavepoints() => Database.AutoSavepointsEnabled = false;

    async Task IUnitOfWork.SaveChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException conflict)
        {
            throw new ConflictException(ErrorCodes.ConcurrentChange, "Someone else changed this resource at the same time; reload it and try again.", conflict);
        }
        catch (DbUpdateException failure) when (failure.InnerException is PostgresException { SqlState: SqlStates.UniqueViolation })
        {
            throw new ConflictException(ErrorCodes.Duplicate, "A resource with the same unique value already exists.", failure);
        }
        catch (DbUpdateException failure) when (failure.InnerException is PostgresException { SqlState: SqlStates.ForeignKeyViolation })
        {
            throw new ConflictException(ErrorCodes.ReferenceConflict, "Another resource refers to this one, or the one this refers to is gone; reload and try again.", failure);
        }
    }

    void IUnitOfWork.DiscardChanges() => ChangeTracker.Clear();

    async Task<T> IUnitOfWork.InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        T result;
        try
        {
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            result = await work().ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Rolled back: what its saves raised never happened.
            _uncommittedEvents.Clear();
            throw;
        }

        var committed = _uncommittedEvents.ToArray();
        _uncommittedEvents.Clear();
        await DispatchAsync(committed, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Saves inside a transaction, always: the tenant interceptor scopes a transaction once, which
    /// leaves EF Core's statement batches untouched. A run whose final state is saved stages its
    /// <c>run.succeeded</c> or <c>run.failed</c> event first (<see cref="RunOutcomeEvents"/>). Enqueued jobs are written last, in the same
    /// transaction (<see cref="JobOutbox"/>). The domain events of the saved aggregates are handed to
    /// their handlers after the commit (ADR 0046): after this save's own transaction, or after the
    /// transaction of <see cref="IUnitOfWork.InTransactionAsync{T}"/> it is part of. A save that fails
    /// drops them: what they say did not happen.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        List<IDomainEvent> events;
        int written;
        using (DetectChangesOnce())
        {
            var staged = RunOutcomeEvents.Stage(this);
            RefuseCrossTenantWrites();
            events = TakeDomainEvents();
            var jobs = JobOutbox.Take(ChangeTracker);
            try
            {
                if (Database.CurrentTransaction is not null)
                {
                    var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
                    saved += await JobOutbox.WriteAsync(this, jobs, cancellationToken).ConfigureAwait(false);

                    _uncommittedEvents.AddRange(events);
                    return saved;
                }

                await using var transaction = await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
                written += await JobOutbox.WriteAsync(this, jobs, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                RunOutcomeEvents.Unstage(this, staged, jobs);
                JobOutbox.Restore(this, jobs);
                throw;
            }
        }

        await DispatchAsync(events, cancellationToken).ConfigureAwait(false);
        return written;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        List<IDomainEvent> events;
        int written;
        using (DetectChangesOnce())
        {
            var staged = RunOutcomeEvents.Stage(this);
            RefuseCrossTenantWrites();
            events = TakeDomainEvents();
            var jobs = JobOutbox.Take(ChangeTracker);
            try
            {
                if (Database.CurrentTransaction is not null)
                {
                    var saved = base.SaveChanges(acceptAllChangesOnSuccess) + JobOutbox.Write(this, jobs);
                    _uncommittedEvents.AddRange(events);
                    return saved;
                }

                using var transaction = Database.BeginTransaction();
                written = base.SaveChanges(acceptAllChangesOnSuccess) + JobOutbox.Write(this, jobs);
                transaction.Commit();
            }
            catch
            {
                RunOutcomeEvents.Unstage(this, staged, jobs);
                JobOutbox.Restore(this, jobs);
                throw;
            }
        }

        // Loupe saves asynchronously; a synchronous save (a tool's, a test's) waits for the handlers.
        DispatchAsync(events, CancellationToken.None).GetAwaiter().GetResult();
        return written;
    }

    /// <summary>
    /// Compares every tracked entity with its snapshot once for the whole save, then turns automatic
    /// detection off until the save is done: each step before EF Core's own save (staging run events,
    /// the cross-tenant check, taking domain events and jobs) lists the tracked entries, and each
    /// listing would otherwise compare them all again (five passes per save; for the 500 entities of a
    /// schedules' firing batch that was most of its time). What those steps add is tracked as added,
    /// which needs no comparing.
    /// </summary>
    private AutoDetectChangesOff DetectChangesOnce()
    {
        var enabled = ChangeTracker.AutoDetectChangesEnabled;
        if (enabled)
        {
            ChangeTracker.DetectChanges();

            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        return new AutoDetectChangesOff(ChangeTracker, enabled);
    }

    /// <summary>Takes the events every tracked aggregate raised since its last save (each is handed over once).</summary>
    private List<IDomainEvent> TakeDomainEvents() =>
        [.. ChangeTracker.Entries<AggregateRoot>().SelectMany(entry => entry.Entity.DequeueDomainEvents())];

    private Task DispatchAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken) =>
        events.Count == 0 || _events is null ? Task.CompletedTask : _events.DispatchAsync(events, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LoupeDbContext).Assembly);
        SnakeCaseNaming.Apply(modelBuilder);

        modelBuilder.Entity<Organization>().HasQueryFilter(o => o.Id == CurrentOrganizationId);
        modelBuilder.Entity<Job>().HasQueryFilter(j => j.OrganizationId == CurrentOrganizationId);
        modelBuilder.Entity<JobOrganizationTurn>().HasQueryFilter(t => t.OrganizationId == CurrentOrganizationId);
        foreach (var entity in modelBuilder.Model.GetEntityTypes()
                     .Where(e => !e.IsOwned() && typeof(ITenantOwned).IsAssignableFrom(e.ClrType)))
        {
            var row = Expression.Parameter(entity.ClrType, "row");
            var organization = Expression.Convert(Expression.Property(row, nameof(ITenantOwned.OrganizationId)), typeof(Guid?));
            var current = Expression.Property(Expression.Constant(this), nameof(CurrentOrganizationId));
            entity.SetQueryFilter(Expression.Lambda(Expression.Equal(organization, current), row));
        }
    }

    private void RefuseCrossTenantWrites()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var owner = entry.Entity switch
            {
                ITenantOwned owned => owned.OrganizationId,
                Organization organization => organization.Id,
                _ => (Guid?)null,
            };
            if (owner is { } organizationId && organizationId != CurrentOrganizationId)
            {
                throw new InvalidOperationException(
                    $"Refused to write a {entry.Metadata.ClrType.Name} of another organization than the current one.");
            }
        }
    }
}

/// <summary>Turns automatic change detection back on (when it was on) at the end of a save.</summary>
internal readonly struct AutoDetectChangesOff(ChangeTracker tracker, bool wasEnabled) : IDisposable
{
    public void Dispose() => tracker.AutoDetectChangesEnabled = wasEnabled;
}
