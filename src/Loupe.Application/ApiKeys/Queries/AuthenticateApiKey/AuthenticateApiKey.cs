using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;

namespace Loupe.Application.ApiKeys.Queries.AuthenticateApiKey;

/// <summary>
/// Resolves an API key secret to the identity it acts as: its creator, in its organization, with
/// the key's role. Null when the key is unknown or revoked. Records when the key was last used.
/// </summary>
[AllowAnonymous]
public sealed record AuthenticateApiKeyQuery(string Secret) : IRequest<ApiKeyIdentity?>;

public sealed record ApiKeyIdentity(Guid ApiKeyId, Guid UserId, Guid OrganizationId, Role Role, bool IsInstanceAdmin);

internal sealed class AuthenticateApiKeyQueryHandler(
    ICredentialLocator locator,
    ITenantScope tenant,
    IReadStore store,
    IQueryExecutor executor,
    ICredentialUsage usage,
    IOpaqueTokens opaqueTokens,
    TimeProvider clock) : IRequestHandler<AuthenticateApiKeyQuery, ApiKeyIdentity?>
{
    public async Task<ApiKeyIdentity?> Handle(AuthenticateApiKeyQuery request, CancellationToken cancellationToken)
    {
        if (!request.Secret.StartsWith("lp_ak_", StringComparison.Ordinal) || request.Secret.Length > 200)
        {
            return null;
        }

        var located = await locator.ApiKeyBySecretHashAsync(opaqueTokens.HashOf(request.Secret), cancellationToken).ConfigureAwait(false);
        if (located is null)
        {
            return null;
        }

        tenant.Enter(located.OrganizationId);
        // Read untracked: using a key must never turn a read-only request into a conflicting write.
        var key = await executor.FirstOrDefaultAsync(store.Query<ApiKey>().Where(k => k.Id == located.Id), cancellationToken).ConfigureAwait(false);
        if (key is not { IsActive: true })
        {
            return null;
        }

        var creator = await executor.FirstOrDefaultAsync(store.Query<User>().Where(u => u.Id == key.CreatedByUserId), cancellationToken).ConfigureAwait(false);
        if (creator is null)
        {
            return null;
        }

        if (key.MarkUsed(clock.GetUtcNow()))
        {
            await usage.RecordApiKeyUseAsync(key.Id, key.LastUsedAt!.Value, cancellationToken).ConfigureAwait(false);
        }

        // A key never acts above its creator's current role, even if the creator was demoted since.
        var role = key.Role <= creator.Role ? key.Role : creator.Role;
        return new ApiKeyIdentity(key.Id, creator.Id, key.OrganizationId, role, IsInstanceAdmin: false);
    }
}
