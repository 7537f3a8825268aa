using Loupe.Domain.Common;

namespace Loupe.Domain.Sessions;

/// <summary>What presenting a refresh token did to its session.</summary>
public enum RefreshOutcome
{
    Rotated,

    /// <summary>
    /// The token was rotated moments ago (within the grace period) and its successor is still the
    /// current token: the same successor is handed out again, the session goes on.
    /// </summary>
    RotatedMomentsAgo,

    /// <summary>An already-rotated token came back: someone holds a copy. The whole session is now revoked.</summary>
    ReuseDetected,

    Expired,
    Revoked,
}

/// <summary>
/// A signed-in device: a family of refresh tokens of which only the newest works. Each refresh
/// rotates it; presenting an older one means the family leaked, and the session ends — except the
/// token rotated last, within a short grace period, while its successor is still unused (two tabs
/// of one app refreshing at the same moment).
/// </summary>
public sealed class Session : AggregateRoot, ITenantOwned
{
    public const int UserAgentMaxLength = 512;

    private readonly List<SessionToken> _tokens = [];

    private Session(Guid id, Guid organizationId, Guid userId, DateTimeOffset createdAt, DateTimeOffset expiresAt, string? userAgent, string? ipAddress)
        : base(id)
    {
        OrganizationId = organizationId;
        UserId = userId;
        CreatedAt = createdAt;
        LastUsedAt = createdAt;
        ExpiresAt = expiresAt;
        UserAgent = userAgent;
        IpAddress = ipAddress;
    }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset LastUsedAt { get; private set; }

    /// <summary>When the refresh token family stops working, however often it is rotated.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedReason { get; private set; }

    public string? UserAgent { get; private set; }

    public string? IpAddress { get; private set; }

    /// <summary>How many times the refresh token was rotated; only the token of this generation works.</summary>
    public int Generation { get; private set; }

    public IReadOnlyCollection<SessionToken> Tokens => _tokens.AsReadOnly();

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    public static Session Start(
        Guid id, Guid organizationId, Guid userId, string refreshTokenHash, DateTimeOffset now, TimeSpan lifetime, string? userAgent, string? ipAddress)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshTokenHash);
        var agent = userAgent is { Length: > UserAgentMaxLength } ? userAgent[..UserAgentMaxLength] : userAgent;
        var session = new Session(id, organizationId, userId, now, now + lifetime, agent, ipAddress);
        session._tokens.Add(new SessionToken(refreshTokenHash, organizationId, 0, now));
        return session;
    }

    /// <summary>
    /// Presents a refresh token of this session and, when it is the current one, replaces it with
    /// <paramref name="successorHash"/>. The token rotated last, presented again no later than
    /// <paramref name="reuseGrace"/> after its rotation, is answered with its successor again when
    /// <paramref name="successorHash"/> (the successor of the presented token) is still the current
    /// one; any other older token revokes the session.
    /// </summary>
    public RefreshOutcome Refresh(string presentedHash, string successorHash, DateTimeOffset now, TimeSpan reuseGrace = default)
    {
        var presented = _tokens.SingleOrDefault(t => t.Hash == presentedHash)
            ?? throw new ArgumentException("The token does not belong to this session.", nameof(presentedHash));

        if (RevokedAt is not null)
        {
            return RefreshOutcome.Revoked;
        }

        if (presented.Generation != Generation)
        {
            if (IsSuccessorWithinGrace(presented, successorHash, now, reuseGrace))
            {
                // Nothing changes: the rotation moments ago set the session's last use, and
                // presenters racing each other must not race on the row as well.
                return ExpiresAt <= now ? RefreshOutcome.Expired : RefreshOutcome.RotatedMomentsAgo;
            }

            Revoke("refresh_token_reuse", now);
            Raise(new RefreshTokenReused(Id, OrganizationId, UserId, now));
            return RefreshOutcome.ReuseDetected;
        }

        if (ExpiresAt <= now)
        {
            return RefreshOutcome.Expired;
        }

        Generation++;
        _tokens.Add(new SessionToken(successorHash, OrganizationId, Generation, now));
        LastUsedAt = now;
        return RefreshOutcome.Rotated;
    }

    /// <returns>True when this call revoked it, false when it already was revoked (the first reason stays).</returns>
    public bool Revoke(string reason, DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return false;
        }

        RevokedAt = now;
        RevokedReason = reason;
        return true;
    }

    private bool IsSuccessorWithinGrace(SessionToken presented, string successorHash, DateTimeOffset now, TimeSpan reuseGrace)
    {
        if (presented.Generation != Generation - 1 || reuseGrace <= TimeSpan.Zero)
        {
            return false;
        }

        var current = _tokens.Single(t => t.Generation == Generation);
        return current.Hash == successorHash && now - current.IssuedAt <= reuseGrace;
    }
}

/// <summary>One refresh token ever issued for a session, kept (as a hash) to recognise its reuse.</summary>
public sealed class SessionToken : ITenantOwned
{
    internal SessionToken(string hash, Guid organizationId, int generation, DateTimeOffset issuedAt)
    {
        Hash = hash;
        OrganizationId = organizationId;
        Generation = generation;
        IssuedAt = issuedAt;
    }

    public string Hash { get; private set; }

    public Guid OrganizationId { get; private set; }

    public int Generation { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }
}

public sealed record RefreshTokenReused(Guid SessionId, Guid OrganizationId, Guid UserId, DateTimeOffset OccurredAt) : IDomainEvent;
