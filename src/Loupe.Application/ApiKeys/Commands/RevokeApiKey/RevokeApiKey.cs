using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Audit;
using Loupe.Domain.Organizations;
using MediatR;

namespace Loupe.Application.ApiKeys.Commands.RevokeApiKey;

/// <summary>Revokes one of the caller's own keys, or any key of the organization for an admin; again is the same answer.</summary>
[Authorize(SignedInOnly = true)]
public sealed record RevokeApiKeyCommand(Guid Id) : IRequest<Unit>;

internal sealed class RevokeApiKeyCommandHandler(
    ICurrentUser currentUser,
    IRepository<ApiKey> apiKeys,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RevokeApiKeyCommand, Unit>
{
    public async Task<Unit> Handle(RevokeApiKeyCommand request, CancellationToken cancellationToken)
    {
        var key = await apiKeys.FindAsync(request.Id, cancellationToken).ConfigureAwait(false);
        if (key is null || (key.CreatedByUserId != currentUser.UserId && currentUser.Role != Role.Admin))
        {
            throw new NotFoundException("API key", request.Id);
        }

        // Revoking a revoked key answers the same and records nothing more.
        if (key.Revoke(clock.GetUtcNow()))
        {
            audit.Record(AuditActions.ApiKeyRevoked, new AuditTarget("api_key", key.Id));
        }

        await unitOfWork.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
