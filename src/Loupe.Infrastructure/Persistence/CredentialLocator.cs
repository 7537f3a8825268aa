using Loupe.Application.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Infrastructure.Persistence;

/// <summary>Calls the <c>loupe_locate_*</c> functions of migrations 0002 and 0020, the only cross-organization reads.</summary>
internal sealed class CredentialLocator(LoupeDbContext context) : ICredentialLocator
{
    public Task<LocatedCredential?> UserByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_user_by_email", normalizedEmail, cancellationToken);

    public Task<LocatedCredential?> SessionByRefreshTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_session_token", hash, cancellationToken);

    public Task<LocatedCredential?> ApiKeyBySecretHashAsync(string hash, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_api_key", hash, cancellationToken);

    public Task<LocatedCredential?> InvitationByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_invitation", hash, cancellationToken);

    public Task<LocatedCredential?> PasswordResetByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_password_reset", hash, cancellationToken);

    public Task<LocatedCredential?> DashboardShareByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        LocateAsync("loupe_locate_dashboard_share", hash, cancellationToken);

    public async Task<bool> ClaimFirstUserAsync(CancellationToken cancellationToken) =>
        await context.Database.SqlQueryRaw<bool>("SELECT loupe_claim_first_user() AS \"Value\"")
            .SingleAsync(cancellationToken).ConfigureAwait(false);

    private async Task<LocatedCredential?> LocateAsync(string function, string key, CancellationToken cancellationToken)
    {
        // The function name is one of the constants above, never input; the key is a parameter.
        var sql = $"SELECT id AS \"Id\", organization_id AS \"OrganizationId\" FROM {function}({{0}})";
        var rows = await context.Database
            .SqlQueryRaw<Located>(sql, key)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows is [var row] ? new LocatedCredential(row.Id, row.OrganizationId) : null;
    }

    private sealed record Located(Guid Id, Guid OrganizationId);
}
