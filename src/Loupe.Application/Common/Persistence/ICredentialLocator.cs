namespace Loupe.Application.Common.Persistence;

/// <summary>A row found by a credential before its organization was known.</summary>
public sealed record LocatedCredential(Guid Id, Guid OrganizationId);

/// <summary>
/// Finds which organization a credential belongs to — the one question asked across tenants, by
/// narrow database functions that return only the matching row's id and organization.
/// </summary>
public interface ICredentialLocator
{
    Task<LocatedCredential?> UserByEmailAsync(string normalizedEmail, CancellationToken cancellationToken);

    Task<LocatedCredential?> SessionByRefreshTokenHashAsync(string hash, CancellationToken cancellationToken);

    Task<LocatedCredential?> ApiKeyBySecretHashAsync(string hash, CancellationToken cancellationToken);

    Task<LocatedCredential?> InvitationByTokenHashAsync(string hash, CancellationToken cancellationToken);

    Task<LocatedCredential?> PasswordResetByTokenHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>A dashboard share link by the hash of its token, whatever its state (revoked, expired).</summary>
    Task<LocatedCredential?> DashboardShareByTokenHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>True exactly once per instance, for its first registered user.</summary>
    Task<bool> ClaimFirstUserAsync(CancellationToken cancellationToken);
}
