using System.Text.Json;
using Loupe.Application.SavedQueries;
using Loupe.Domain.Dashboards;

namespace Loupe.Application.Dashboards;

/// <summary>Where a share link stands: it serves its dashboard, or it stopped because its expiry passed or it was revoked.</summary>
public enum DashboardShareStatus
{
    Active,
    Expired,
    Revoked,
}

/// <summary>
/// A share link as its dashboard's editors see it: never its token, only the token's first
/// characters (<c>prefix</c>) to tell links apart.
/// </summary>
/// <param name="LockedParameters">The dashboard parameter values the link fixes, by name; every other parameter takes the dashboard's default.</param>
/// <param name="CreatorId">Who made it; null once that user has left the organization.</param>
public sealed record DashboardShareDto(
    Guid Id,
    Guid DashboardId,
    string? Label,
    string Prefix,
    IReadOnlyDictionary<string, JsonElement?> LockedParameters,
    DashboardShareStatus Status,
    DateTimeOffset? ExpiresAt,
    Guid? CreatorId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    public static DashboardShareDto From(DashboardShare share, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(share);
        return new(
            share.Id,
            share.DashboardId,
            share.Label,
            share.Prefix,
            share.LockedValues.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => ParameterJson.ToJson(pair.Value), StringComparer.Ordinal),
            StatusOf(share, now),
            share.ExpiresAt,
            share.CreatedBy,
            share.CreatedAt,
            share.RevokedAt);
    }

    public static DashboardShareStatus StatusOf(DashboardShare share, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.RevokedAt is not null ? DashboardShareStatus.Revoked
            : share.IsLiveAt(now) ? DashboardShareStatus.Active
            : DashboardShareStatus.Expired;
    }
}

/// <summary>
/// A share link just made: the link's <c>token</c> and the <c>path</c> of the public read that takes it
/// appear in this answer only — they are not stored and cannot be shown again.
/// </summary>
public sealed record CreatedDashboardShareDto(
    Guid Id,
    Guid DashboardId,
    string? Label,
    string Prefix,
    string Token,
    string Path,
    IReadOnlyDictionary<string, JsonElement?> LockedParameters,
    DashboardShareStatus Status,
    DateTimeOffset? ExpiresAt,
    Guid? CreatorId,
    DateTimeOffset CreatedAt)
{
    /// <summary>Never the token.</summary>
    public override string ToString() => $"CreatedDashboardShareDto {{ Id = {Id}, DashboardId = {DashboardId} }}";
}
