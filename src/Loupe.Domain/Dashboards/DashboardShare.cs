using Loupe.Domain.Common;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Domain.Dashboards;

/// <summary>
/// A link that shows one dashboard, read-only, to whoever holds its token, without an account. The
/// token is a random secret shown once when the share is made; only its hash is kept (like an API
/// key's). A share may end at <see cref="ExpiresAt"/>, is revoked for good, and fixes the values of
/// the dashboard parameters it names (<see cref="LockedValues"/>): a holder cannot choose others.
/// </summary>
public sealed class DashboardShare : AggregateRoot, ITenantOwned
{
    public const int LabelMaxLength = 100;

    /// <summary>How many characters of the token are kept in clear, to tell shares apart in a list.</summary>
    public const int VisiblePrefixLength = 12;

    /// <summary>The most shares one dashboard may have that are neither revoked nor expired.</summary>
    public const int MaxLivePerDashboard = 50;

    private DashboardShare(Guid id, Guid organizationId, Guid dashboardId, string tokenHash, string prefix, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        DashboardId = dashboardId;
        TokenHash = tokenHash;
        Prefix = prefix;
        CreatedAt = createdAt;
        LockedValues = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
    }

    public Guid OrganizationId { get; private set; }

    public Guid DashboardId { get; private set; }

    /// <summary>What the person who made it calls it (optional).</summary>
    public string? Label { get; private set; }

    /// <summary>The SHA-256 of the token; the token itself is never stored.</summary>
    public string TokenHash { get; private set; }

    /// <summary>The token's first characters.</summary>
    public string Prefix { get; private set; }

    /// <summary>Values of dashboard parameters the holder sees and cannot change, by parameter name.</summary>
    public IReadOnlyDictionary<string, ParameterValue> LockedValues { get; private set; }

    /// <summary>When the link stops working; null: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Who made it; null once that user has been removed from the organization.</summary>
    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <param name="lockedValues">Already checked against the dashboard's parameters by the caller.</param>
    public static DashboardShare Create(
        Guid id,
        Dashboard dashboard,
        Guid createdBy,
        string? label,
        IReadOnlyDictionary<string, ParameterValue> lockedValues,
        DateTimeOffset? expiresAt,
        string token,
        string tokenHash,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(lockedValues);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        dashboard.EnsureActive();

        if (expiresAt is { } end && end <= now)
        {
            throw new DomainException(DashboardShareErrors.ExpiryInPast);
        }

        var trimmed = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        if (trimmed is { Length: > LabelMaxLength })
        {
            throw new DomainException(DashboardShareErrors.LabelTooLong);
        }

        if (trimmed?.Contains('\0', StringComparison.Ordinal) == true)
        {
            throw new DomainException(DashboardErrors.NulCharacter("label"));
        }

        return new DashboardShare(id, dashboard.OrganizationId, dashboard.Id, tokenHash, token[..Math.Min(VisiblePrefixLength, token.Length)], now)
        {
            Label = trimmed,
            LockedValues = new Dictionary<string, ParameterValue>(lockedValues, StringComparer.Ordinal),
            ExpiresAt = expiresAt,
            CreatedBy = createdBy,
        };
    }

    /// <summary>Whether the link serves its dashboard at <paramref name="now"/>: not revoked and not past its expiry.</summary>
    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    /// <summary>Revokes the link for good; revoking it again changes nothing.</summary>
    /// <returns>True when this call revoked it.</returns>
    public bool Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        return true;
    }
}

/// <summary>Why a share was refused, or why a link shows nothing.</summary>
public static class DashboardShareErrors
{
    /// <summary>
    /// The one answer of a link that shows nothing, whatever the reason: an unknown token, a revoked
    /// share, an expiry passed, an archived dashboard — a holder cannot tell which.
    /// </summary>
    public static readonly DomainError LinkNotFound =
        DomainError.NotFound("dashboard_share.not_found", "This link does not show a dashboard (it may never have existed, been revoked, or expired).");

    public static readonly DomainError ExpiryInPast =
        DomainError.Validation("dashboard_share.expiry_in_past", "expires_at", "The expiry must be in the future.");

    public static readonly DomainError LabelTooLong =
        DomainError.Validation("dashboard_share.label_too_long", "label", $"A label has at most {DashboardShare.LabelMaxLength} characters.");

    public static readonly DomainError TooMany =
        DomainError.Conflict(
            "dashboard_share.too_many",
            $"A dashboard has at most {DashboardShare.MaxLivePerDashboard} live share links: revoke one first.");
}
