using FluentValidation;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.ForkSavedQuery;

/// <summary>
/// Copies a query (archived ones too) as a new active query owned by the caller, at version 1, from
/// its current version or <see cref="Version"/>. Named <see cref="Name"/>, or by default "Copy of X"
/// ("Copy of X (2)", … when the organization has that name already). The copy records
/// <c>forked_from</c>: the query and version it came from.
/// </summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ForkSavedQueryCommand(Guid Id, string? Name = null, int? Version = null) : IRequest<Versioned<SavedQueryDto>>;

/// <summary>The optional body of POST /queries/{id}/fork.</summary>
public sealed record ForkSavedQueryRequest(string? Name = null, int? Version = null)
{
    public ForkSavedQueryCommand ToCommand(Guid id) => new(id, Name, Version);
}

internal sealed class ForkSavedQueryCommandValidator : AbstractValidator<ForkSavedQueryCommand>
{
    public ForkSavedQueryCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(SavedQuery.NameMaxLength).When(c => c.Name is not null);
        RuleFor(c => c.Version).GreaterThanOrEqualTo(1).When(c => c.Version is not null);
    }
}

internal sealed class ForkSavedQueryCommandHandler(
    ICurrentUser currentUser, IRepository<SavedQuery> queries, IReadStore store, IQueryExecutor executor, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ForkSavedQueryCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(ForkSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A query is owned by a user.");
        var original = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        var version = request.Version is { } number
            ? await SavedQueryVersions.FindAsync(store, executor, original.Id, number, cancellationToken).ConfigureAwait(false)
            : null;

        // The names a default name must not repeat: those of the organization that start like it.
        IReadOnlyCollection<string> taken = [];
        if (request.Name is null)
        {
            var stem = SavedQuery.ForkPrefix + original.Name;
            var prefix = (stem.Length > 200 ? stem[..200] : stem).ToLowerInvariant();

            // Translated to SQL (lower(name) LIKE 'prefix%'), where the overloads that take a StringComparison are not.
#pragma warning disable CA1862, CA1310
            taken = await executor.ToListAsync(
                store.Query<SavedQuery>().Where(q => q.Name.ToLower().StartsWith(prefix)).Select(q => q.Name), cancellationToken).ConfigureAwait(false);
#pragma warning restore CA1862, CA1310
        }

        var now = clock.GetUtcNow();
        var copy = original.Fork(Guid.CreateVersion7(now), ownerId, now, request.Name, version, taken);
        queries.Add(copy);
        audit.Record(AuditActions.QueryForked, new AuditTarget("query", copy.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<SavedQueryDto>(SavedQueryDto.From(copy), copy.RowVersion);
    }
}
