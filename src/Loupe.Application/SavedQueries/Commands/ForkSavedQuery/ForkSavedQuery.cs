using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using MediatR;

namespace Loupe.Application.SavedQueries.Commands.ForkSavedQuery;

/// <summary>Copies a query (archived ones too) as a new active query named "Copy of …", owned by the caller, at version 1.</summary>
[Authorize(MinimumRole = Role.Editor)]
public sealed record ForkSavedQueryCommand(Guid Id) : IRequest<Versioned<SavedQueryDto>>;

internal sealed class ForkSavedQueryCommandHandler(
    ICurrentUser currentUser, IRepository<SavedQuery> queries, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ForkSavedQueryCommand, Versioned<SavedQueryDto>>
{
    public async Task<Versioned<SavedQueryDto>> Handle(ForkSavedQueryCommand request, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.UserId ?? throw new ForbiddenException("A query is owned by a user.");
        var original = await queries.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Query", request.Id);
        var now = clock.GetUtcNow();
        var copy = original.Fork(Guid.CreateVersion7(now), ownerId, now);
        queries.Add(copy);
        audit.Record(AuditActions.QueryForked, new AuditTarget("query", copy.Id));
        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new Versioned<SavedQueryDto>(SavedQueryDto.From(copy), copy.RowVersion);
    }
}
